import { EventTypeCatalog } from '../../resources';
import { eventTypeOptions, isPresetSelected, selectedOptions } from './eventTypeOptions';

const type = (code: string, category: string, legacy = false) => ({
  code,
  name: code.toUpperCase(),
  description: `${code} description`,
  category,
  outcome: 'info' as const,
  legacy,
  source: '',
});

const catalog: EventTypeCatalog = {
  types: [type('ss', 'signup'), type('w', 'login_failure', true), type('fp', 'login_failure'), type('zz', 'unknown')],
  categories: [
    { id: 'login_failure', name: 'Failed logins', description: '' },
    { id: 'signup', name: 'Signups', description: '' },
  ],
  presets: [],
};

describe('eventTypeOptions', () => {
  it('groups codes by category in catalog order, legacy last, unknown categories at the end', () => {
    expect(eventTypeOptions(catalog).map((o) => [o.group, o.value])).toEqual([
      ['Failed logins', 'fp'],
      ['Failed logins', 'w'],
      ['Signups', 'ss'],
      ['unknown', 'zz'],
    ]);
  });

  it('labels options with code and name and marks legacy codes', () => {
    const w = eventTypeOptions(catalog).find((o) => o.value === 'w');
    expect(w?.label).toBe('w — W');
    expect(w?.description).toMatch(/^Legacy code\./);
  });
});

describe('selectedOptions', () => {
  it('keeps values the catalog does not know, such as variables', () => {
    const options = eventTypeOptions(catalog);
    expect(selectedOptions(['fp', '$types'], options)).toEqual([options[0], { value: '$types', label: '$types' }]);
  });
});

describe('isPresetSelected', () => {
  it.each([
    [['s', 'fu', 'fp'], true],
    [['fp', 's', 'fu'], true],
    [['s', 'fu'], false],
    [['s', 'fu', 'fp', 'f'], false],
    [undefined, false],
  ])('%j', (selected, want) => {
    expect(isPresetSelected(selected, ['s', 'fu', 'fp'])).toBe(want);
  });
});
