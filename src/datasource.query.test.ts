import { CoreApp, DataFrame, DataQueryRequest, DataQueryResponse, dateTime, LoadingState } from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import { lastValueFrom, of, toArray } from 'rxjs';

import { testDataSource } from './testing/fixtures';
import { FakeVariable } from './testing/fakeTemplateSrv';
import { Auth0Query } from './types';

const TO = Date.UTC(2026, 11, 7, 6, 0);
const DAY = 86_400_000;

function request(targets: Auth0Query[], days = 1): DataQueryRequest<Auth0Query> {
  const from = dateTime(TO - days * DAY);
  const to = dateTime(TO);
  return {
    requestId: 'Q1',
    app: CoreApp.Dashboard,
    targets,
    range: { from, to, raw: { from: 'now-24h', to: 'now' } },
    interval: '1m',
    intervalMs: 60_000,
    timezone: 'utc',
    scopedVars: {},
    startTime: 0,
  } as DataQueryRequest<Auth0Query>;
}

/** Stands in for the backend round trip that DataSourceWithBackend.query makes. */
function backend() {
  return jest
    .spyOn(DataSourceWithBackend.prototype, 'query')
    .mockImplementation((r: DataQueryRequest) =>
      of({ data: r.targets.map((t) => ({ refId: t.refId, fields: [], length: 0 })) } as DataQueryResponse)
    );
}

const run = async (vars: Record<string, FakeVariable>, r: DataQueryRequest<Auth0Query>) => {
  const { ds } = testDataSource(vars);
  return lastValueFrom(ds.query(r).pipe(toArray()));
};

afterEach(() => jest.restoreAllMocks());

describe('DataSource.query with a variable not chosen yet', () => {
  it('sends nothing and says what to choose, instead of the backend\'s "empty value" error', async () => {
    const sent = backend();
    const out = await run(
      { user_id: { current: '' } },
      request([{ refId: 'A', queryType: 'logs', query: 'user_id:"$user_id"' }])
    );
    expect(sent).not.toHaveBeenCalled();
    expect(out).toHaveLength(1);
    expect(out[0].state).toBe(LoadingState.Done);
    expect(out[0].errors).toBeUndefined();
    const frame = out[0].data[0] as DataFrame;
    expect(frame).toMatchObject({ refId: 'A', length: 0 });
    expect(frame.meta?.notices?.[0].text).toMatch(/^Choose a value in the \$user_id box above/);
  });

  it("runs the panel's other queries, and each query once its variable is set", async () => {
    const sent = backend();
    const targets: Auth0Query[] = [
      { refId: 'A', queryType: 'top', groupBy: 'client_name', query: 'user_id:"$user_id"' },
      { refId: 'B', queryType: 'count', eventTypes: ['$types'] },
      { refId: 'C', queryType: 'count', query: 'ip:$ip' },
    ];
    const out = await run(
      { user_id: { current: 'auth0|1' }, types: { current: [] }, ip: { current: ['1.1.1.1'] } },
      request(targets)
    );
    expect(sent).toHaveBeenCalledTimes(1);
    expect(sent.mock.calls[0][0].targets.map((t) => t.refId)).toEqual(['A', 'C']);
    const data = out[out.length - 1].data as DataFrame[];
    expect(data.map((f) => f.refId).sort()).toEqual(['A', 'B', 'C']);
    expect(data.find((f) => f.refId === 'B')?.meta?.notices?.[0].text).toContain('$types');
  });

  it('leaves names that are not variables to the backend', async () => {
    const sent = backend();
    await run({}, request([{ refId: 'A', queryType: 'logs', query: 'user_id:"$nope"' }]));
    expect(sent).toHaveBeenCalledTimes(1);
  });
});

describe('DataSource.query over a long range', () => {
  it('asks the backend a day at a time, newest first', async () => {
    const sent = backend();
    const out = await run({}, request([{ refId: 'A', queryType: 'count', interval: '1h' }], 3));
    expect(sent).toHaveBeenCalledTimes(4);
    expect(sent.mock.calls[0][0].range.to.valueOf()).toBe(TO);
    expect(out[out.length - 1].state).toBe(LoadingState.Done);
  });

  it('asks a day or less whole', async () => {
    const sent = backend();
    await run({}, request([{ refId: 'A', queryType: 'count' }], 1));
    expect(sent).toHaveBeenCalledTimes(1);
  });
});
