import {
  escapePhrase,
  interpolateList,
  interpolateQuery,
  maskVariables,
  quoteValue,
  VariableSource,
  VariableValue,
} from './interpolate';

function source(vars: Record<string, VariableValue>): VariableSource & { passed: string[] } {
  const passed: string[] = [];
  return {
    passed,
    lookup: (name) => vars[name],
    passthrough: (ref) => {
      passed.push(ref);
      return `<${ref}>`;
    },
  };
}

const vars: Record<string, VariableValue> = {
  ip: { kind: 'values', values: ['1.1.1.1'] },
  ips: { kind: 'values', values: ['1.1.1.1', '2.2.2.2'] },
  user: { kind: 'values', values: ['jane "JJ" doe'] },
  path: { kind: 'values', values: ['C:\\dir'] },
  special: { kind: 'values', values: ['a:b (c) [d] * OR e'] },
  none: { kind: 'values', values: [] },
  all: { kind: 'values', values: ['f', 'fu', 'fp'] },
  customAll: { kind: 'raw', text: '*' },
  types: { kind: 'values', values: ['f', 'fu'] },
};

describe('quoteValue / escapePhrase', () => {
  it.each([
    ['plain', '"plain"'],
    ['with "quotes"', '"with \\"quotes\\""'],
    ['back\\slash', '"back\\\\slash"'],
    ['a:b*(c)', '"a:b*(c)"'],
  ])('quotes %j', (input, want) => {
    expect(quoteValue(input)).toBe(want);
  });

  it('escapes only quote and backslash inside a phrase', () => {
    expect(escapePhrase('x "y" \\ z*:')).toBe('x \\"y\\" \\\\ z*:');
  });
});

describe('interpolateQuery', () => {
  it.each([
    ['single value after a field', 'ip:$ip', 'ip:"1.1.1.1"'],
    ['braced syntax', 'ip:${ip}', 'ip:"1.1.1.1"'],
    ['bracket syntax', 'ip:[[ip]]', 'ip:"1.1.1.1"'],
    ['multi value after a field', 'ip:$ips', '(ip:"1.1.1.1" OR ip:"2.2.2.2")'],
    ['multi value keeps NOT on the group', 'NOT ip:$ips', 'NOT (ip:"1.1.1.1" OR ip:"2.2.2.2")'],
    ['multi value inside parentheses', '(ip:$ips OR type:s)', '((ip:"1.1.1.1" OR ip:"2.2.2.2") OR type:s)'],
    ['dotted field', 'details.request.ip:$ips', '(details.request.ip:"1.1.1.1" OR details.request.ip:"2.2.2.2")'],
    [
      'field path with a hyphen',
      'details.stage.pre-user-registration.shields:$ips',
      '(details.stage.pre-user-registration.shields:"1.1.1.1" OR details.stage.pre-user-registration.shields:"2.2.2.2")',
    ],
    ['bare single value', 'type:f AND $ip', 'type:f AND "1.1.1.1"'],
    ['bare multi value', '$ips', '("1.1.1.1" OR "2.2.2.2")'],
    ['quotes in a value are escaped', 'user_name:$user', 'user_name:"jane \\"JJ\\" doe"'],
    ['backslash in a value is escaped', 'description:$path', 'description:"C:\\\\dir"'],
    ['special characters cannot change the query', 'user_name:$special', 'user_name:"a:b (c) [d] * OR e"'],
    [
      'inside a phrase the value is only escaped',
      'description:"user $user here"',
      'description:"user jane \\"JJ\\" doe here"',
    ],
    ['inside a phrase multi values are comma-joined', 'description:"$ips"', 'description:"1.1.1.1,2.2.2.2"'],
    ['$__all expands to every value', 'type:$all', '(type:"f" OR type:"fu" OR type:"fp")'],
    ['custom all value is inserted verbatim', 'ip:$customAll', 'ip:*'],
    ['empty selection matches the empty value', 'ip:$none', 'ip:""'],
    ['longest name wins', 'ip:$ips AND $ip', '(ip:"1.1.1.1" OR ip:"2.2.2.2") AND "1.1.1.1"'],
    ['escaped dollar is left alone', 'description:\\$ip', 'description:\\$ip'],
    ['no variables', 'type:f AND user_name:"x"', 'type:f AND user_name:"x"'],
    ['a colon inside a phrase is not a field', '"a:" $ip', '"a:" "1.1.1.1"'],
  ])('%s', (_name, input, want) => {
    expect(interpolateQuery(input, source(vars))).toBe(want);
  });

  it('leaves explicit formats, field paths, ranges and unknown names to Grafana', () => {
    const src = source(vars);
    const out = interpolateQuery('ip:${ips:raw} AND x:${ip.text} AND date:[$start TO *] AND y:$unknown', src);
    expect(out).toBe('ip:<${ips:raw}> AND x:<${ip.text}> AND date:[<$start> TO *] AND y:<$unknown>');
    expect(src.passed).toEqual(['${ips:raw}', '${ip.text}', '$start', '$unknown']);
  });

  it('treats a closed range as ended', () => {
    expect(interpolateQuery('date:[a TO b] AND ip:$ip', source(vars))).toBe('date:[a TO b] AND ip:"1.1.1.1"');
  });
});

describe('maskVariables', () => {
  it.each([
    ['ip:$ip', 'ip:"x"'],
    ['ip:${ips}', 'ip:"xxxx"'],
    ['description:"a $ip b"', 'description:"a xxx b"'],
    ['date:[$from TO ${to}]', 'date:[*     TO *    ]'],
    ['type:f', 'type:f'],
  ])('%j becomes %j', (input, want) => {
    const out = maskVariables(input);
    expect(out).toBe(want);
    expect(out).toHaveLength(input.length);
  });
});

describe('interpolateList', () => {
  it('expands a whole-entry multi-value variable into several entries', () => {
    expect(interpolateList(['$types', 's'], source(vars))).toEqual(['f', 'fu', 's']);
  });

  it('drops duplicates and empty entries, keeping order', () => {
    expect(interpolateList(['fu', '${types}', '$none', ' '], source(vars))).toEqual(['fu', 'f']);
  });

  it('expands $__all to every value', () => {
    expect(interpolateList(['[[all]]'], source(vars))).toEqual(['f', 'fu', 'fp']);
  });

  it('splits a raw custom all value on commas', () => {
    const src = source({ v: { kind: 'raw', text: 'f, fu' } });
    expect(interpolateList(['$v'], src)).toEqual(['f', 'fu']);
  });

  it('passes entries holding other references to Grafana and keeps plain ones', () => {
    const src = source(vars);
    expect(interpolateList(['pre$ip', 'sapi'], src)).toEqual(['<pre$ip>', 'sapi']);
    expect(src.passed).toEqual(['pre$ip']);
  });

  it('keeps undefined as undefined', () => {
    expect(interpolateList(undefined, source(vars))).toBeUndefined();
  });
});
