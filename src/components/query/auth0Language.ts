import type { Monaco, monacoTypes } from '@grafana/ui';

import { CompletionData, completionContext, CompletionItem, completionItems } from './completion';

/** The Monaco language id of Auth0's log search syntax. */
export const AUTH0_LANGUAGE_ID = 'auth0-log-search';

const VARIABLE = /\$\{[^}]*\}|\$\w+|\[\[\w+(?::\w+)?\]\]/;

/**
 * Highlighting for Auth0's Lucene subset: field names before ":", quoted phrases with escapes,
 * AND/OR/NOT, ranges with TO, wildcards and dashboard variables. Token names are Monaco's
 * standard ones, so Grafana's light and dark themes colour them.
 */
export const auth0Monarch: monacoTypes.languages.IMonarchLanguage = {
  defaultToken: '',
  tokenPostfix: '.auth0',
  keywords: ['AND', 'OR', 'NOT'],
  tokenizer: {
    root: [
      [/\s+/, 'white'],
      [/\\./, 'string.escape'],
      [/"/, { token: 'string.quote', next: '@phrase' }],
      [VARIABLE, 'variable'],
      [/[A-Za-z_][\w.]*(?=:)/, 'type.identifier'],
      [/:/, 'delimiter'],
      [/[[{]/, { token: 'delimiter.bracket', next: '@range' }],
      [/[()]/, '@brackets'],
      [/[-+!]/, 'operator'],
      [/\*/, 'operator'],
      [/[A-Za-z_][\w-]*/, { cases: { '@keywords': 'keyword', '@default': 'identifier' } }],
      [/[^\s:()"[\]{}\\*$]+/, 'identifier'],
    ],
    phrase: [
      [/[^\\"$]+/, 'string'],
      [VARIABLE, 'variable'],
      [/\$/, 'string'],
      [/\\./, 'string.escape'],
      [/"/, { token: 'string.quote', next: '@pop' }],
    ],
    range: [
      [/\s+/, 'white'],
      [/TO\b/, 'keyword'],
      [/\*/, 'operator'],
      [VARIABLE, 'variable'],
      [/"/, { token: 'string.quote', next: '@phrase' }],
      [/[\]}]/, { token: 'delimiter.bracket', next: '@pop' }],
      [/[^\s\]}"*$]+/, 'number'],
    ],
  },
};

/** Registers the language once per Monaco instance; later editors reuse it. */
export function registerAuth0Language(monaco: Monaco): void {
  if (monaco.languages.getLanguages().some((l) => l.id === AUTH0_LANGUAGE_ID)) {
    return;
  }
  monaco.languages.register({ id: AUTH0_LANGUAGE_ID });
  monaco.languages.setMonarchTokensProvider(AUTH0_LANGUAGE_ID, auth0Monarch);
  monaco.languages.setLanguageConfiguration(AUTH0_LANGUAGE_ID, {
    brackets: [
      ['(', ')'],
      ['[', ']'],
    ],
    autoClosingPairs: [
      { open: '(', close: ')' },
      { open: '[', close: ']' },
      { open: '"', close: '"' },
    ],
    // Field names such as user_name and codes such as limit_wc are single words.
    wordPattern: /[\w-]+/,
  });
}

function itemKind(monaco: Monaco, kind: CompletionItem['kind']): monacoTypes.languages.CompletionItemKind {
  const k = monaco.languages.CompletionItemKind;
  switch (kind) {
    case 'field':
      return k.Field;
    case 'path':
      return k.Property;
    case 'keyword':
      return k.Keyword;
    case 'variable':
      return k.Variable;
    default:
      return k.EnumMember;
  }
}

/**
 * Offers field names, field paths (a prefix such as "details." reopens the list on its paths),
 * AND/OR/NOT, event-type codes after "type:" and dashboard variables after "$" in one editor's
 * model. The provider is global to the language, so it answers only for modelId; getData is read
 * at each request, so the lists may arrive after the editor mounted.
 */
export function registerAuth0Completion(
  monaco: Monaco,
  modelId: string,
  getData: () => CompletionData
): monacoTypes.IDisposable {
  return monaco.languages.registerCompletionItemProvider(AUTH0_LANGUAGE_ID, {
    triggerCharacters: [':', '$', '"', '(', ' ', '.'],
    provideCompletionItems(model, position) {
      if (model.id !== modelId) {
        return { suggestions: [] };
      }
      const before = model.getValueInRange({
        startLineNumber: 1,
        startColumn: 1,
        endLineNumber: position.lineNumber,
        endColumn: position.column,
      });
      const ctx = completionContext(before);
      const replaced = ctx.kind === 'none' ? 0 : ctx.word.length;
      const range = {
        startLineNumber: position.lineNumber,
        endLineNumber: position.lineNumber,
        startColumn: Math.max(position.column - replaced, 1),
        endColumn: position.column,
      };
      const suggestions = completionItems(ctx, getData()).map((item) => ({
        label: item.label,
        insertText: item.insertText,
        kind: itemKind(monaco, item.kind),
        detail: item.detail,
        documentation: item.documentation,
        sortText: item.sortText,
        command: item.retrigger ? { id: 'editor.action.triggerSuggest', title: 'Suggest' } : undefined,
        // Keep Monaco's fuzzy filter working when the replaced word starts with "$".
        filterText: item.kind === 'variable' ? item.insertText : item.label,
        range,
      }));
      return { suggestions };
    },
  });
}
