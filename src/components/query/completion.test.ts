import { EventTypeCatalog, SearchFields } from '../../resources';
import { completionContext, completionItems } from './completion';

const fields: SearchFields = {
  searchable: ['client_name', 'ip', 'type', 'user_name'],
  defaultFields: ['ip', 'type'],
  groupBy: ['type', 'ip'],
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
