import { CoreApp, DataQueryRequest, DataQueryResponse, dateTime, LiveChannelScope } from '@grafana/data';
import * as runtime from '@grafana/runtime';
import { DataSourceWithBackend, GrafanaLiveSrv } from '@grafana/runtime';
import { lastValueFrom, of, toArray } from 'rxjs';

import { liveTail, tailPath } from './liveTail';
import { testDataSource } from './testing/fixtures';
import { Auth0Query } from './types';

function request(targets: Auth0Query[], liveStreaming: boolean): DataQueryRequest<Auth0Query> {
  const to = Date.UTC(2026, 11, 7, 6, 0);
  return {
    requestId: 'explore_live',
    app: CoreApp.Explore,
    targets,
    liveStreaming,
    range: { from: dateTime(to - 3_600_000), to: dateTime(to), raw: { from: 'now-1h', to: 'now' } },
    interval: '1m',
    intervalMs: 60_000,
    timezone: 'utc',
    scopedVars: {},
    startTime: 0,
  } as DataQueryRequest<Auth0Query>;
}

function fakeLive() {
  const getDataStream = jest.fn(() => of({ data: [] } as DataQueryResponse));
  return { live: { getDataStream } as unknown as GrafanaLiveSrv, getDataStream };
}

afterEach(() => jest.restoreAllMocks());

describe('live tail channel paths', () => {
  it('are equal for queries selecting the same events and differ otherwise', () => {
    const a = tailPath({ refId: 'A', query: 'type:f*', eventTypes: ['fu', 'fp'], limit: 10 });
    expect(a).toMatch(/^tail\/[0-9a-f]{16}$/);
    expect(tailPath({ refId: 'B', query: 'type:f*', eventTypes: ['fp', 'fu'] })).toBe(a);
    expect(tailPath({ refId: 'A', query: 'type:s', eventTypes: ['fu', 'fp'] })).not.toBe(a);
    expect(tailPath({ refId: 'A', query: 'type:f*', eventTypes: ['fu'] })).not.toBe(a);
    expect(
      tailPath({ refId: 'A', query: 'type:f*', eventTypes: ['fu', 'fp'], categories: ['login_failure'] })
    ).not.toBe(a);
  });
});

describe("Explore's live mode", () => {
  it('subscribes each logs query to ds/<uid>/tail/<hash> with the query as the data', async () => {
    const { live, getDataStream } = fakeLive();
    const targets: Auth0Query[] = [
      { refId: 'A', query: 'type:fu' },
      { refId: 'B', queryType: 'count' },
    ];
    await lastValueFrom(liveTail('auth0', request(targets, true), live).pipe(toArray()));
    expect(getDataStream).toHaveBeenCalledTimes(1);
    expect(getDataStream.mock.calls[0]).toEqual([
      expect.objectContaining({
        addr: {
          scope: LiveChannelScope.DataSource,
          stream: 'auth0',
          path: tailPath(targets[0]),
          data: expect.objectContaining({ query: 'type:fu', queryType: 'logs' }),
        },
      }),
    ]);
  });

  it('streams instead of querying when the request is a live one, with variables filled in', async () => {
    const { live, getDataStream } = fakeLive();
    jest.spyOn(runtime, 'getGrafanaLiveSrv').mockReturnValue(live);
    const backend = jest.spyOn(DataSourceWithBackend.prototype, 'query');
    const { ds } = testDataSource({ ip: { current: '10.0.0.1' } });
    await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'logs', query: 'ip:$ip' }], true)).pipe(toArray()));
    expect(backend).not.toHaveBeenCalled();
    expect(getDataStream).toHaveBeenCalledTimes(1);
    const [opts] = getDataStream.mock.calls[0] as unknown as [{ addr: { data: Auth0Query } }];
    expect(opts.addr.data.query).not.toContain('$ip');
    expect(opts.addr.data.query).toContain('10.0.0.1');
  });
});
