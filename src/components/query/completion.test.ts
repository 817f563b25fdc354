import { EventTypeCatalog, SearchFields } from '../../resources';
import { completionContext, completionItems } from './completion';

const fields: SearchFields = {
  searchable: ['client_name', 'ip', 'type', 'user_name'],
  defaultFields: ['ip', 'type'],
  groupBy: ['type', 'ip'],
  paths: [
    { path: 'details.request.path', doc: 'the Management API path called', kind: 'string' },
    { path: 'details.response.statusCode', doc: 'the HTTP status answered', kind: 'number' },
    { path: 'security_context.ja4', doc: 'the JA4 TLS fingerprint', kind: 'string' },
    { path: 'audience', doc: 'the API the token was asked for', kind: 'string' },
  ],
};

const catalog: EventTypeCatalog = {
  types: [
    {
      code: 'fp',
      name: 'Incorrect password',
      description: '',
      category: 'login_failure',
      outcome: 'failure',
      legacy: false,
      source: '',
    },
    {
      code: 'f',
      name: 'Failed login',
      description: 'Old',
      category: 'login_failure',
      outcome: 'failure',
      legacy: true,
      source: '',
    },
  ],
  categories: [{ id: 'login_failure', name: 'Failed logins', description: '' }],
  presets: [],
};

describe('completionContext', () => {
  it.each([
    ['', { kind: 'field', word: '', atStart: true }],
    ['us', { kind: 'field', word: 'us', atStart: true }],
    ['type:f AND us', { kind: 'field', word: 'us', atStart: false }],
    ['(ip', { kind: 'field', word: 'ip', atStart: false }],
    ['type:', { kind: 'eventType', word: '' }],
    ['ip:1.1.1.1 OR type:lim', { kind: 'eventType', word: 'lim' }],
    ['type:"li', { kind: 'eventType', word: 'li' }],
    ['NOT type:f', { kind: 'eventType', word: 'f' }],
    ['ip:', { kind: 'none' }],
    ['user_name:jan', { kind: 'none' }],
    ['description:"some te', { kind: 'none' }],
    ['date:[2024-01-01 TO ', { kind: 'none' }],
    ['ip:$', { kind: 'variable', word: '$' }],
    ['ip:${cl', { kind: 'variable', word: '${cl' }],
    ['description:"a \\" b" AND us', { kind: 'field', word: 'us', atStart: false }],
    ['mytype:', { kind: 'none' }],
    ['type:sapi AND details.', { kind: 'field', word: 'details.', atStart: false }],
    ['details.request.pa', { kind: 'field', word: 'details.request.pa', atStart: true }],
    ['details.request.path:', { kind: 'none' }],
  ])('%j', (before, want) => {
    expect(completionContext(before)).toEqual(want);
  });
});

describe('completionItems', () => {
  const data = { fields, catalog, variables: ['ip', 'client'] };

  it('offers fields with a colon, and keywords after a term', () => {
    const items = completionItems({ kind: 'field', word: '', atStart: false }, data);
    expect(items.filter((i) => i.kind === 'field').map((i) => i.insertText)).toEqual([
      'client_name:',
      'ip:',
      'type:',
      'user_name:',
    ]);
    expect(items.filter((i) => i.kind === 'keyword').map((i) => i.label)).toEqual(['AND', 'OR', 'NOT']);
    expect(items.find((i) => i.label === 'ip')?.detail).toContain('bare terms');
  });

  it('offers the field paths under the prefix typed, marked as filtered by the plugin', () => {
    const items = completionItems({ kind: 'field', word: 'details.', atStart: false }, data);
    expect(items.map((i) => i.insertText)).toEqual(['details.request.path:', 'details.response.statusCode:']);
    expect(items.every((i) => i.kind === 'path')).toBe(true);
    expect(items[0].detail).toBe('string, filtered by the plugin');
    expect(items[1].detail).toBe('number, filtered by the plugin');
    expect(items[0].documentation).toContain('the Management API path called');
    expect(items[0].documentation).toContain('Auth0 does not search this field');

    const security = completionItems({ kind: 'field', word: 'security_context.j', atStart: false }, data);
    expect(security.map((i) => i.label)).toEqual(['security_context.ja4']);
  });

  it('offers the derived paths after their field, whether or not the resource lists them', () => {
    expect(completionItems({ kind: 'field', word: 'user_name.', atStart: false }, data).map((i) => i.label)).toEqual([
      'user_name.domain',
    ]);
    const agent = completionItems({ kind: 'field', word: 'user_agent.', atStart: false }, { variables: [] });
    expect(agent.map((i) => i.label)).toEqual(['user_agent.family']);
    expect(agent[0].detail).toContain('filtered by the plugin');
  });

  it('offers path prefixes beside the searchable fields, told apart from them', () => {
    const items = completionItems({ kind: 'field', word: '', atStart: false }, data);
    const paths = items.filter((i) => i.kind === 'path');
    expect(paths.map((i) => i.insertText)).toEqual([
      'details.',
      'security_context.ja4:',
      'audience:',
      'user_name.domain:',
      'user_agent.family:',
    ]);
    expect(paths[0]).toMatchObject({ retrigger: true, detail: '2 field paths, filtered by the plugin' });
    for (const p of paths) {
      expect(p.detail).toContain('filtered by the plugin');
    }
    for (const f of items.filter((i) => i.kind === 'field')) {
      expect(f.detail).toContain('searched by Auth0');
      expect(f.detail).not.toContain('filtered');
    }
    // Searchable fields first, then paths, then keywords.
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText)).map((i) => i.kind);
    expect(sorted.indexOf('path')).toBeGreaterThan(sorted.lastIndexOf('field'));
    expect(sorted.indexOf('keyword')).toBeGreaterThan(sorted.lastIndexOf('path'));
  });

  it('offers only NOT at the start', () => {
    const items = completionItems({ kind: 'field', word: '', atStart: true }, data);
    expect(items.filter((i) => i.kind === 'keyword').map((i) => i.label)).toEqual(['NOT']);
  });

  it('offers event-type codes with their names, legacy codes last', () => {
    const items = completionItems({ kind: 'eventType', word: '' }, data);
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ['fp', 'Incorrect password'],
      ['f', 'Failed login'],
    ]);
    const sorted = [...items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    expect(sorted[0].label).toBe('fp');
    expect(items[1].documentation).toContain('Legacy code.');
    expect(items[1].documentation).toContain('Failed logins');
  });

  it('offers variables in the syntax being typed', () => {
    expect(completionItems({ kind: 'variable', word: '$' }, data).map((i) => i.insertText)).toEqual(['$ip', '$client']);
    expect(completionItems({ kind: 'variable', word: '${c' }, data).map((i) => i.insertText)).toEqual([
      '${ip}',
      '${client}',
    ]);
  });

  it('offers nothing while data is loading or in a value', () => {
    expect(completionItems({ kind: 'eventType', word: '' }, { variables: [] })).toEqual([]);
    expect(completionItems({ kind: 'none' }, data)).toEqual([]);
  });
});
