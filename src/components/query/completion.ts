import { EventTypeCatalog, SearchFields } from '../../resources';

/*
 * What to suggest at the cursor of an Auth0 query. Pure, so it is tested without Monaco; the
 * editor adapter only maps these items to Monaco's types.
 */

/** What the text before the cursor asks for; word is the text a suggestion replaces. */
export type CompletionContext =
  | { kind: 'field'; word: string; atStart: boolean }
  | { kind: 'eventType'; word: string }
  | { kind: 'variable'; word: string }
  | { kind: 'none' };

/** A suggestion, independent of the editor that shows it. */
export interface CompletionItem {
  label: string;
  insertText: string;
  kind: 'field' | 'keyword' | 'eventType' | 'variable';
  detail?: string;
  documentation?: string;
  /** Orders items in the list; lower first. */
  sortText: string;
}

/** Where the cursor is, judged from the text before it. */
export function completionContext(before: string): CompletionContext {
  const phrase = openPhrase(before);
  if (phrase !== undefined) {
    const m = /(?:^|[^\w.])type:"([\w-]*)$/.exec(before);
    return m ? { kind: 'eventType', word: m[1] } : { kind: 'none' };
  }
  const variable = /\$\{?\w*$/.exec(before);
  if (variable) {
    return { kind: 'variable', word: variable[0] };
  }
  const type = /(?:^|[^\w.])type:([\w-]*)$/.exec(before);
  if (type) {
    return { kind: 'eventType', word: type[1] };
  }
  if (/[\w.]+:\S*$/.test(before) || /[[{][^\]}]*$/.test(before)) {
    return { kind: 'none' }; // a value of another field, or inside a range
  }
  const word = /(?:^|[\s()!+-])([A-Za-z_][\w.]*)?$/.exec(before);
  if (!word) {
    return { kind: 'none' };
  }
  const text = word[1] ?? '';
  return { kind: 'field', word: text, atStart: before.slice(0, before.length - text.length).trim() === '' };
}

/** The text of an unclosed quoted phrase at the end of before, or undefined when none is open. */
function openPhrase(before: string): string | undefined {
  let start = -1;
  for (let i = 0; i < before.length; i++) {
    if (before[i] === '\\') {
      i++;
    } else if (before[i] === '"') {
      start = start < 0 ? i : -1;
    }
  }
  return start < 0 ? undefined : before.slice(start + 1);
}

/** Data the suggestions are drawn from; any part may still be loading. */
export interface CompletionData {
  fields?: SearchFields;
  catalog?: EventTypeCatalog;
  /** Dashboard variable names, without the $. */
  variables: string[];
}

const KEYWORDS = [
  { label: 'AND', documentation: 'Both terms must match.' },
  { label: 'OR', documentation: 'Either term may match.' },
  { label: 'NOT', documentation: 'The next term must not match.' },
];

/** The suggestions for a context. */
export function completionItems(ctx: CompletionContext, data: CompletionData): CompletionItem[] {
  switch (ctx.kind) {
    case 'eventType': {
      const categories = new Map((data.catalog?.categories ?? []).map((c) => [c.id, c.name]));
      return (data.catalog?.types ?? []).map((t) => ({
        label: t.code,
        insertText: t.code,
        kind: 'eventType',
        detail: t.name,
        documentation: [t.description, categories.get(t.category), t.legacy ? 'Legacy code.' : '']
          .filter(Boolean)
          .join(' — '),
        sortText: `${t.legacy ? 1 : 0}${t.code}`,
      }));
    }
    case 'variable': {
      const braced = ctx.word.startsWith('${');
      return data.variables.map((name) => ({
        label: `$${name}`,
        insertText: braced ? `\${${name}}` : `$${name}`,
        kind: 'variable',
        detail: 'Dashboard variable',
        sortText: name,
      }));
    }
    case 'field': {
      const defaults = new Set(data.fields?.defaultFields ?? []);
      const fields: CompletionItem[] = (data.fields?.searchable ?? []).map((f) => ({
        label: f,
        insertText: `${f}:`,
        kind: 'field',
        detail: defaults.has(f) ? 'Field (also matched by bare terms)' : 'Field',
        sortText: `1${f}`,
      }));
      const keywords: CompletionItem[] = KEYWORDS.filter((k) => !ctx.atStart || k.label === 'NOT').map((k) => ({
        ...k,
        insertText: `${k.label} `,
        kind: 'keyword',
        sortText: `2${k.label}`,
      }));
      return [...fields, ...keywords];
    }
    default:
      return [];
  }
}
