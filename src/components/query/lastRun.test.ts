import { createDataFrame, LoadingState, PanelData, getDefaultTimeRange } from '@grafana/data';

import { lastRun, summarizeStats } from './lastRun';

describe('summarizeStats', () => {
  it('reads the known stats in a fixed order, with thousands separators', () => {
    expect(
      summarizeStats([
        { displayName: 'Cache hits', value: 3 },
        { displayName: 'Events fetched', value: 1150 },
        { displayName: 'Auth0 requests', value: 12 },
      ])
    ).toBe('12 Auth0 requests, 1,150 events, 3 cache hits');
  });

  it('reads the backend names, leaving joined fetches out while zero', () => {
    const stats = [
      { displayName: 'Auth0 requests', value: 0 },
      { displayName: 'Events', value: 2 },
      { displayName: 'Cache hits', value: 1 },
      { displayName: 'Joined fetches', value: 0 },
    ];
    expect(summarizeStats(stats)).toBe('0 Auth0 requests, 2 events, 1 cache hit');
    stats[3].value = 2;
    expect(summarizeStats(stats)).toBe('0 Auth0 requests, 2 events, 1 cache hit, 2 joined fetches');
  });

  it('uses the singular for one, and appends unknown stats', () => {
    expect(
      summarizeStats([
        { displayName: 'Auth0 requests', value: 1 },
        { displayName: 'Wait', value: 250, unit: 'ms' },
      ])
    ).toBe('1 Auth0 request, Wait: 250 ms');
  });
});

function panelData(series: PanelData['series'], state = LoadingState.Done): PanelData {
  return { series, state, timeRange: getDefaultTimeRange() };
}

describe('lastRun', () => {
  const stats = [{ displayName: 'Auth0 requests', value: 2 }];

  it('takes the stats of the first frame of the query, not a sum', () => {
    const data = panelData([
      createDataFrame({ refId: 'B', fields: [], meta: { stats: [{ displayName: 'Auth0 requests', value: 9 }] } }),
      createDataFrame({ refId: 'A', fields: [], meta: { stats } }),
      createDataFrame({ refId: 'A', fields: [], meta: { stats } }),
    ]);
    expect(lastRun(data, 'A')?.summary).toBe('2 Auth0 requests');
  });

  it('collects warnings once, skipping info notices', () => {
    const notices = [
      { severity: 'warning' as const, text: 'Partial data: the request budget ran out.' },
      { severity: 'info' as const, text: 'Served from cache.' },
    ];
    const data = panelData([
      createDataFrame({ refId: 'A', fields: [], meta: { notices } }),
      createDataFrame({ refId: 'A', fields: [], meta: { notices } }),
    ]);
    const run = lastRun(data, 'A');
    expect(run?.summary).toBeUndefined();
    expect(run?.notices.map((n) => n.text)).toEqual(['Partial data: the request budget ran out.']);
  });

  it('says nothing while loading or without stats', () => {
    expect(
      lastRun(panelData([createDataFrame({ refId: 'A', fields: [], meta: { stats } })], LoadingState.Loading), 'A')
    ).toBeUndefined();
    expect(lastRun(panelData([createDataFrame({ refId: 'A', fields: [] })]), 'A')).toBeUndefined();
    expect(lastRun(undefined, 'A')).toBeUndefined();
  });
});
