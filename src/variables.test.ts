import { DataQueryRequest, DataQueryResponse, DataFrame, getDefaultTimeRange } from '@grafana/data';
import { firstValueFrom, of } from 'rxjs';

import { testDataSource } from './testing/fixtures';
import { Auth0Query, Auth0VariableQuery } from './types';
import { Auth0VariableSupport } from './variables';

function request(target: Auth0VariableQuery): DataQueryRequest<Auth0VariableQuery> {
  return {
    requestId: 'r',
    interval: '1m',
    intervalMs: 60_000,
    range: getDefaultTimeRange(),
    scopedVars: {},
    timezone: 'utc',
    app: 'dashboard',
    startTime: 0,
    targets: [target],
  };
}

function textValues(response: DataQueryResponse): Array<[string, string]> {
  const frame: DataFrame = response.data[0];
  const text = frame.fields.find((f) => f.name === 'text')!.values;
  const value = frame.fields.find((f) => f.name === 'value')!.values;
  return text.map((t: string, i: number) => [t, value[i]]);
}

describe('Auth0VariableSupport', () => {
  it('lists event types from the catalog, named, without querying Auth0', async () => {
    const { ds } = testDataSource();
    const run = jest.spyOn(ds, 'query');
    const support = ds.variables as Auth0VariableSupport;
    const response = await firstValueFrom(support.query(request({ refId: 'v', kind: 'eventTypes' })));
    expect(textValues(response)).toContainEqual(['Incorrect Password (fp)', 'fp']);
    expect(textValues(response)).toHaveLength(6);
    expect(run).not.toHaveBeenCalled();
  });

  it('lists only the event types of a category', async () => {
    const { ds } = testDataSource();
    const support = ds.variables as Auth0VariableSupport;
    const response = await firstValueFrom(
      support.query(request({ refId: 'v', kind: 'eventTypes', category: 'login_failure' }))
    );
    expect(textValues(response).map(([, v]) => v)).toEqual(['f', 'fp', 'fu']);
  });

  it('lists categories with their names', async () => {
    const { ds } = testDataSource();
    const support = ds.variables as Auth0VariableSupport;
    const response = await firstValueFrom(support.query(request({ refId: 'v', kind: 'categories' })));
    expect(textValues(response)[0]).toEqual(['Successful logins', 'login_success']);
  });

  it('runs a values query for field values, over the request range', async () => {
    const { ds } = testDataSource();
    const run = jest.spyOn(ds, 'query').mockReturnValue(of({ data: [] }));
    const support = ds.variables as Auth0VariableSupport;
    const req = request({ refId: 'v', kind: 'values', field: 'client_name', query: 'type:s', limit: 50 });
    await firstValueFrom(support.query(req));
    const sent = run.mock.calls[0][0] as DataQueryRequest<Auth0Query>;
    expect(sent.targets).toEqual([
      { refId: 'v', queryType: 'values', groupBy: 'client_name', query: 'type:s', limit: 50 },
    ]);
    expect(sent.range).toBe(req.range);
  });

  it('treats a new variable as field values of ip', async () => {
    const { ds } = testDataSource();
    const run = jest.spyOn(ds, 'query').mockReturnValue(of({ data: [] }));
    await firstValueFrom((ds.variables as Auth0VariableSupport).query(request({ refId: 'v' })));
    expect((run.mock.calls[0][0] as DataQueryRequest<Auth0Query>).targets[0]).toMatchObject({
      queryType: 'values',
      groupBy: 'ip',
    });
  });
});
