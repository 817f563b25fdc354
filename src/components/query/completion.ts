import { EventTypeCatalog, FieldPath, SearchFields } from '../../resources';

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
  /** field: searched by Auth0; path: a field path (or a prefix of some) the plugin filters itself. */
  kind: 'field' | 'path' | 'keyword' | 'eventType' | 'variable';
  detail?: string;
  documentation?: string;
  /** Orders items in the list; lower first. */
  sortText: string;
  /** Accepting it should open the list again (a prefix such as "details."). */
  retrigger?: boolean;
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

/**
 * The derived paths the plugin computes itself. Offered even when the fields resource does not list
 * them; an entry of its paths with the same name wins.
 */
export const DERIVED_PATHS: FieldPath[] = [
  {
    path: 'user_name.domain',
    doc: 'The part of user_name after its last "@", lower-cased; the query value is compared lower-cased too.',
    kind: 'string',
  },
  {
    path: 'user_agent.family',
    doc: 'The browser or client family of user_agent: the family Auth0 parsed (Mobile Safari, Other), a browser (Chrome, Firefox, Edge), or a client (curl, python-requests, okhttp).',
    kind: 'string',
  },
];

/** The field paths to offer: the resource's, then the derived ones it does not list. */
export function fieldPaths(fields: SearchFields | undefined): FieldPath[] {
  const listed = fields?.paths ?? [];
  const names = new Set(listed.map((p) => p.path));
  return [...listed, ...DERIVED_PATHS.filter((p) => !names.has(p.path))];
}

/** How a plugin-filtered path is told apart from an Auth0-searchable field in the list. */
export const FILTERED_DETAIL = 'filtered by the plugin';

const PATH_NOTE =
  'Auth0 does not search this field: the plugin filters the events the rest of the query selects. ' +
  'Without the tenant log store every such event is fetched, so put a type: condition or event types beside it.';

function pathItem(p: FieldPath): CompletionItem {
  return {
    label: p.path,
    insertText: `${p.path}:`,
    kind: 'path',
    detail: `${p.kind}, ${FILTERED_DETAIL}`,
    documentation: p.doc ? `${p.doc}\n\n${PATH_NOTE}` : PATH_NOTE,
    sortText: `2${p.path}`,
  };
}

/**
 * The paths as first-level suggestions: a path without a dot as itself, a prefix shared by several
 * paths as "prefix." (which opens their list), a prefix with one path as that path.
 */
function pathRoots(paths: FieldPath[]): CompletionItem[] {
  const byRoot = new Map<string, FieldPath[]>();
  for (const p of paths) {
    const dot = p.path.indexOf('.');
    const root = dot < 0 ? p.path : p.path.slice(0, dot + 1);
    byRoot.set(root, [...(byRoot.get(root) ?? []), p]);
  }
  return [...byRoot.entries()].map(([root, members]) =>
    members.length === 1
      ? pathItem(members[0])
      : {
          label: root,
          insertText: root,
          kind: 'path',
          detail: `${members.length} field paths, ${FILTERED_DETAIL}`,
          documentation: `e.g. ${members
            .slice(0, 3)
            .map((m) => m.path)
            .join(', ')}\n\n${PATH_NOTE}`,
          sortText: `2${root}`,
          retrigger: true,
        }
  );
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
      const dot = ctx.word.indexOf('.');
      // After "details." only the names under "details." are worth showing.
      const prefix = dot < 0 ? '' : ctx.word.slice(0, dot + 1);
      const fields: CompletionItem[] = (data.fields?.searchable ?? [])
        .filter((f) => f.startsWith(prefix))
        .map((f) => ({
          label: f,
          insertText: `${f}:`,
          kind: 'field',
          detail: defaults.has(f)
            ? 'Field, searched by Auth0 (also matched by bare terms)'
            : 'Field, searched by Auth0',
          sortText: `1${f}`,
        }));
      const paths = fieldPaths(data.fields);
      if (prefix) {
        return [...fields, ...paths.filter((p) => p.path.startsWith(prefix)).map(pathItem)];
      }
      const keywords: CompletionItem[] = KEYWORDS.filter((k) => !ctx.atStart || k.label === 'NOT').map((k) => ({
        ...k,
        insertText: `${k.label} `,
        kind: 'keyword',
        sortText: `3${k.label}`,
      }));
      return [...fields, ...pathRoots(paths), ...keywords];
    }
    default:
      return [];
  }
}
