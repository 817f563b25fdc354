import { chooseMessage, unsetVariables } from './unsetVariables';
import { VariableSource, VariableValue } from './interpolate';

function source(values: Record<string, VariableValue>): VariableSource {
  return { lookup: (name) => values[name], passthrough: (ref) => ref };
}

describe('unsetVariables', () => {
  const src = source({
    user_id: { kind: 'values', values: [''] },
    ip: { kind: 'values', values: [] },
    types: { kind: 'values', values: ['fu'] },
    all: { kind: 'raw', text: ' ' },
    field: { kind: 'values', values: ['ip'] },
  });

  it('names the variables a query uses that hold nothing, wherever they stand', () => {
    expect(unsetVariables({ refId: 'A', query: 'user_id:"$user_id" AND ip:${ip}' }, src)).toEqual(['user_id', 'ip']);
    expect(unsetVariables({ refId: 'A', eventTypes: ['$types', '[[all]]'] }, src)).toEqual(['all']);
    expect(unsetVariables({ refId: 'A', groupBy: '$field' as never, distinctField: '$ip' as never }, src)).toEqual([
      'ip',
    ]);
  });

  it('ignores chosen variables, built-ins, unknown names and escaped dollars', () => {
    expect(unsetVariables({ refId: 'A', query: 'type:$types AND x:$__interval AND y:$nope AND z:\\$ip' }, src)).toEqual(
      []
    );
  });
});

describe('chooseMessage', () => {
  it("names the box by the dashboard's label", () => {
    expect(chooseMessage('user_id', 'User ID')).toBe(
      'Choose a value in the "User ID" box ($user_id) above: this panel shows nothing until then.'
    );
    expect(chooseMessage('ip')).toBe('Choose a value in the $ip box above: this panel shows nothing until then.');
  });
});
