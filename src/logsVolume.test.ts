import {
  CoreApp,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  dateTime,
  FieldType,
  LogLevel,
  SupplementaryQueryType,
} from '@grafana/data';
import { DataSourceWithBackend } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';

import { outcomeLevel, VOLUME_REF_PREFIX } from './logsVolume';
import { CATALOG, testDataSource } from './testing/fixtures';
import { Auth0Query } from './types';

const TO = Date.UTC(2026, 11, 7, 6, 0);
const HOUR = 3_600_000;
const BUCKETS = 6;

function request(targets: Auth0Query[]): DataQueryRequest<Auth0Query> {
  return {
    requestId: 'explore_1',
    app: CoreApp.Explore,
    targets,
    range: { from: dateTime(TO - BUCKETS * HOUR), to: dateTime(TO), raw: { from: 'now-6h', to: 'now' } },
    interval: '1h',
    intervalMs: HOUR,
    timezone: 'utc',
    scopedVars: {},
    startTime: 0,
  } as DataQueryRequest<Auth0Query>;
}

/** A tenant of events: a type and an hour bucket each, with an unknown type among them. */
const EVENTS: Array<{ type: string; bucket: number }> = [];
['s', 'f', 'fp', 'fu', 'limit_wc', 'sapi', 'new_code'].forEach((type, k) => {
  for (let b = 0; b < BUCKETS; b++) {
    for (let n = 0; n < ((k * 7 + b * 3) % 5) + (type === 'fu' && b === 2 ? 40 : 0); n++) {
      EVENTS.push({ type, bucket: b });
    }
  }
});

const times = Array.from({ length: BUCKETS }, (_, i) => TO - (BUCKETS - i) * HOUR);

function series(refId: string, values: number[], labels?: Record<string, string>): DataFrame {
  return {
    refId,
    length: values.length,
    fields: [
      { name: 'time', type: FieldType.time, config: {}, values: times },
      { name: 'count', type: FieldType.number, config: {}, labels, values },
    ],
  };
}

/** Stands in for the backend's count query: grouped by type or not, over EVENTS. */
function countBackend() {
  return jest.spyOn(DataSourceWithBackend.prototype, 'query').mockImplementation((r: DataQueryRequest) => {
    const data = (r.targets as Auth0Query[]).flatMap((t) => {
      expect(t.queryType).toBe('count');
      const count = (type?: string) =>
        times.map((_, b) => EVENTS.filter((e) => e.bucket === b && (!type || e.type === type)).length);
      if (t.groupBy !== 'type') {
        return [series(t.refId, count())];
      }
      return [...new Set(EVENTS.map((e) => e.type))].map((type) => series(t.refId, count(type), { type }));
    });
    return of({ data } as DataQueryResponse);
  });
}

afterEach(() => jest.restoreAllMocks());

describe("Explore's logs volume", () => {
  it('is a count of the logs query grouped by type, every group kept', () => {
    const { ds } = testDataSource();
    expect(ds.getSupportedSupplementaryQueryTypes()).toEqual([SupplementaryQueryType.LogsVolume]);
    const logs: Auth0Query = { refId: 'A', queryType: 'logs', query: 'ip:1.2.3.4', eventTypes: ['fu'], limit: 50 };
    const r = ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, request([logs]));
    expect(r?.targets).toEqual([
      expect.objectContaining({
        refId: VOLUME_REF_PREFIX + 'A',
        queryType: 'count',
        query: 'ip:1.2.3.4',
        eventTypes: ['fu'],
        groupBy: 'type',
        keepAllGroups: true,
      }),
    ]);
    expect(r?.targets[0].limit).toBeUndefined();
    expect(
      ds.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, request([{ refId: 'B', queryType: 'top' }]))
    ).toBeUndefined();
    expect(
      ds.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, { refId: 'C', queryType: 'count' })
    ).toBeUndefined();
  });

  it('equals the count query over the same range, split by level as the log lines are', async () => {
    const { ds } = testDataSource();
    countBackend();
    const volumeReq = ds.getSupplementaryRequest(
      SupplementaryQueryType.LogsVolume,
      request([{ refId: 'A', queryType: 'logs' }])
    )!;
    const volume = (await lastValueFrom(ds.query(volumeReq))).data as DataFrame[];
    const count = (await lastValueFrom(ds.query(request([{ refId: 'A', queryType: 'count' }])))).data as DataFrame[];

    const levels = volume.map((f) => f.fields[1].labels?.level);
    expect(new Set(levels).size).toBe(levels.length);
    expect(levels.sort()).toEqual([LogLevel.debug, LogLevel.error, LogLevel.info].sort());
    const total = count[0].fields[1].values as number[];
    for (let b = 0; b < BUCKETS; b++) {
      expect(volume.reduce((sum, f) => sum + (f.fields[1].values[b] as number), 0)).toBe(total[b]);
    }
    const outcome = new Map(CATALOG.types.map((t) => [t.code, t.outcome]));
    for (const f of volume) {
      const want = times.map(
        (_, b) => EVENTS.filter((e) => e.bucket === b && outcomeLevel(outcome.get(e.type)) === f.name).length
      );
      expect(f.fields[1].values).toEqual(want);
      expect(f.fields[0].values).toEqual(times);
    }
  });

  it('keeps a bucket nobody read a gap, not a zero', async () => {
    const { ds } = testDataSource();
    jest.spyOn(DataSourceWithBackend.prototype, 'query').mockReturnValue(
      of({
        data: [
          series(VOLUME_REF_PREFIX + 'A', [1, null as unknown as number, 2, 0, 0, 0], { type: 'f' }),
          series(VOLUME_REF_PREFIX + 'A', [3, null as unknown as number, 0, 0, 0, 1], { type: 'fp' }),
        ],
      } as DataQueryResponse)
    );
    const r = ds.getSupplementaryRequest(
      SupplementaryQueryType.LogsVolume,
      request([{ refId: 'A', queryType: 'logs' }])
    )!;
    const out = (await lastValueFrom(ds.query(r))).data as DataFrame[];
    expect(out).toHaveLength(1);
    expect(out[0].fields[1].values).toEqual([4, null, 2, 0, 0, 1]);
  });
});
