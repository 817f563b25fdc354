import {
  CoreApp,
  createDataFrame,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  dateTime,
  FieldType,
  LoadingState,
} from '@grafana/data';
import { lastValueFrom, Observable, of, Subject, toArray } from 'rxjs';

import { Auth0Query } from '../types';
import { PIECE_MS } from './plan';
import { loadedBackTo, runInPieces } from './runInPieces';

const DAY = PIECE_MS;
const TO = Date.UTC(2026, 11, 7, 6, 0);
const HOUR = 3_600_000;

function request(targets: Auth0Query[], days: number, app: string = CoreApp.Dashboard): DataQueryRequest<Auth0Query> {
  const from = dateTime(TO - days * DAY);
  const to = dateTime(TO);
  return {
    requestId: 'Q1',
    app,
    targets,
    range: { from, to, raw: { from: 'now-7d', to: 'now' } },
    interval: '1h',
    intervalMs: HOUR,
    timezone: 'utc',
    scopedVars: {},
    startTime: 0,
  } as DataQueryRequest<Auth0Query>;
}

/** One count per hour of the piece, value 1, so the merged series must have one point per hour. */
function countFrames(r: DataQueryRequest<Auth0Query>): DataFrame[] {
  return r.targets.map((t) => {
    const times: number[] = [];
    for (let t0 = Math.floor(r.range.from.valueOf() / HOUR) * HOUR; t0 < r.range.to.valueOf(); t0 += HOUR) {
      times.push(t0);
    }
    return createDataFrame({
      refId: t.refId,
      fields: [
        { name: 'time', type: FieldType.time, values: times },
        { name: 'count', type: FieldType.number, values: times.map(() => 1) },
      ],
    });
  });
}

/** A backend that answers at once and records what it was asked. */
function fakeBackend(answer: (r: DataQueryRequest<Auth0Query>) => DataQueryResponse) {
  const asked: Array<DataQueryRequest<Auth0Query>> = [];
  const run = (r: DataQueryRequest<Auth0Query>) => {
    asked.push(r);
    return of(answer(r));
  };
  return { asked, run };
}

const hourly = () => HOUR;
const all = (o: Observable<DataQueryResponse>) => lastValueFrom(o.pipe(toArray()));

describe('runInPieces', () => {
  it('asks for a 7-day count a day at a time, newest first, and shows each step as it comes', async () => {
    const { asked, run } = fakeBackend((r) => ({ data: countFrames(r) }));
    const out = await all(runInPieces(request([{ refId: 'A', queryType: 'count' }], 7), run, hourly));

    expect(asked).toHaveLength(8); // today since midnight, six whole days, and the oldest part-day
    const froms = asked.map((r) => r.range.from.valueOf());
    expect([...froms].sort((a, b) => b - a)).toEqual(froms);
    expect(asked[0].range.to.valueOf()).toBe(TO);
    expect(asked[7].range.from.valueOf()).toBe(TO - 7 * DAY);
    expect(new Set(asked.map((r) => r.requestId)).size).toBe(8); // none cancels another

    expect(out.map((r) => r.state)).toEqual([...Array(7).fill(LoadingState.Streaming), LoadingState.Done]);
    const first = out[0].data[0] as DataFrame;
    expect(first.length).toBe(6); // 00:00 to 06:00
    expect(first.meta?.notices?.[0].text).toBe(loadedBackTo(Date.UTC(2026, 11, 7), 'utc'));
    expect(first.meta?.notices?.[0].text).toContain('Loaded back to 2026-12-07 00:00');

    const final = out[7].data[0] as DataFrame;
    expect(final.length).toBe(7 * 24); // every hour once: the pieces add up to the whole
    expect(final.fields[1].values.every((v: number) => v === 1)).toBe(true);
    expect(final.meta?.notices ?? []).toEqual([]);
  });

  it('puts zeros where a group had no events in a piece, as the whole range would', async () => {
    // The backend answers only for the groups a range holds: fu only in the newest piece.
    let i = 0;
    const { run } = fakeBackend((r) => {
      const frames = countFrames(r).map((f) => ({
        ...f,
        fields: [f.fields[0], { ...f.fields[1], labels: { type: 's' } }],
      }));
      if (i++ === 0) {
        frames.push({
          ...frames[0],
          fields: [frames[0].fields[0], { ...frames[0].fields[1], labels: { type: 'fu' } }],
        });
      }
      return { data: frames };
    });
    const out = await all(runInPieces(request([{ refId: 'A', queryType: 'count', groupBy: 'type' }], 3), run, hourly));
    const final = out[out.length - 1].data as DataFrame[];
    const fu = final.find((f) => f.fields[1].labels?.type === 'fu')!;
    expect(fu.length).toBe(3 * 24);
    expect(fu.fields[1].values.filter((v: number) => v === 1)).toHaveLength(6); // 00:00 to 06:00 today
    expect(fu.fields[1].values.filter((v: number) => v === 0)).toHaveLength(3 * 24 - 6);
  });

  it('runs top and values whole, beside the pieces', async () => {
    const { asked, run } = fakeBackend((r) => ({ data: countFrames(r) }));
    const targets: Auth0Query[] = [
      { refId: 'A', queryType: 'count' },
      { refId: 'B', queryType: 'top', groupBy: 'ip' },
    ];
    await all(runInPieces(request(targets, 3), run, hourly));
    const wholeRuns = asked.filter((r) => r.targets.some((t) => t.refId === 'B'));
    expect(wholeRuns).toHaveLength(1);
    expect(wholeRuns[0].targets.map((t) => t.refId)).toEqual(['B']);
    expect(wholeRuns[0].range.from.valueOf()).toBe(TO - 3 * DAY);
  });

  it('asks older pieces only for the log lines the limit still allows', async () => {
    const lines = (n: number, refId = 'A') =>
      createDataFrame({ refId, fields: [{ name: 'id', type: FieldType.string, values: Array(n).fill('x') }] });
    const perPiece = [30, 60, 50];
    let i = 0;
    const { asked, run } = fakeBackend(() => ({ data: [lines(perPiece[i++] ?? 0)] }));
    const out = await all(runInPieces(request([{ refId: 'A', queryType: 'logs', limit: 100 }], 7), run, hourly));
    expect(asked.map((r) => r.targets[0].limit)).toEqual([100, 70, 10]);
    expect((out[out.length - 1].data[0] as DataFrame).length).toBe(140); // the backend gave more; Grafana shows them all
    expect(out[out.length - 1].state).toBe(LoadingState.Done);
  });

  it('runs as it is for the alert rule editor, a short range, or an unknown bucket width', async () => {
    for (const [req, step] of [
      [request([{ refId: 'A', queryType: 'count' }], 7, CoreApp.UnifiedAlerting), hourly],
      [request([{ refId: 'A', queryType: 'count' }], 0.5), hourly],
      [request([{ refId: 'A', queryType: 'count' }], 7), () => undefined],
      [request([{ refId: 'A', queryType: 'top', groupBy: 'ip' }], 7), hourly],
    ] as const) {
      const { asked, run } = fakeBackend((r) => ({ data: countFrames(r) }));
      await all(runInPieces(req, run, step));
      expect(asked).toHaveLength(1);
      expect(asked[0]).toBe(req);
    }
  });

  it('stops at an error and keeps what it has', async () => {
    let i = 0;
    const { asked, run } = fakeBackend((r) =>
      i++ === 1 ? { data: [], errors: [{ refId: 'A', message: 'budget' }] } : { data: countFrames(r) }
    );
    const out = await all(runInPieces(request([{ refId: 'A', queryType: 'count' }], 7), run, hourly));
    expect(asked).toHaveLength(2);
    const last = out[out.length - 1];
    expect(last.state).toBe(LoadingState.Error);
    expect(last.errors?.[0].message).toBe('budget');
    expect((last.data[0] as DataFrame).length).toBe(6);
  });

  it('asks for nothing more once the panel stops listening', () => {
    const pending = new Subject<DataQueryResponse>();
    const asked: unknown[] = [];
    const run = (r: DataQueryRequest<Auth0Query>) => {
      asked.push(r);
      return pending;
    };
    const sub = runInPieces(request([{ refId: 'A', queryType: 'count' }], 7), run, hourly).subscribe();
    sub.unsubscribe();
    pending.next({ data: [] });
    pending.complete();
    expect(asked).toHaveLength(1);
  });
});
