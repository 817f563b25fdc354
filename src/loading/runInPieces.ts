import {
  CoreApp,
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  dateTime,
  dateTimeFormat,
  LoadingState,
} from '@grafana/data';
import { Observable, Subscription } from 'rxjs';

import { Auth0Query, LIMITS } from '../types';
import { bucketTimes, fillSeries, mergeLogs, mergeSeries, rowCount } from './merge';
import { cutRange, isPieceable, Piece, pieceSize } from './plan';

/** Runs one request against the backend: DataSourceWithBackend's query. */
export type Runner = (request: DataQueryRequest<Auth0Query>) => Observable<DataQueryResponse>;

/** The notice a query carries while older pieces are still on their way. */
export function loadedBackTo(from: number, timeZone?: string): string {
  const when = dateTimeFormat(from, { timeZone, format: 'YYYY-MM-DD HH:mm' });
  return `Loaded back to ${when}, newest first; older data is on its way.`;
}

function rangeOf(p: Piece) {
  const from = dateTime(p.from);
  const to = dateTime(p.to);
  return { from, to, raw: { from, to } };
}

function errorsOf(r: DataQueryResponse): DataQueryError[] {
  return r.errors ?? [];
}

/**
 * Runs a request as pieces of its range, newest first and one after another, and emits the result
 * so far after each (state Streaming), then the whole (Done). Queries that cannot be put together
 * from pieces (see isPieceable) run whole, alongside. A request whose range fits in one piece, or
 * from the alert rule editor (alert rules are evaluated whole by the backend, and a preview should
 * show what the rule will see), runs as it is. stepMs gives a query's bucket width, undefined when
 * it cannot be known; such a request runs whole.
 */
export function runInPieces(
  request: DataQueryRequest<Auth0Query>,
  run: Runner,
  stepMs: (q: Auth0Query) => number | undefined
): Observable<DataQueryResponse> {
  const live = request.targets.filter((t) => !t.hide);
  const split = live.filter((t) => isPieceable(t));
  const steps = split.map(stepMs);
  const size = steps.includes(undefined) ? undefined : pieceSize(steps as number[]);
  const pieces = size ? cutRange(request.range.from.valueOf(), request.range.to.valueOf(), size) : [];
  if (request.app === CoreApp.UnifiedAlerting || split.length === 0 || pieces.length === 0) {
    return run(request);
  }
  const whole = live.filter((t) => !split.includes(t));
  const isLogs = new Map(split.map((t) => [t.refId, t.queryType === 'logs']));
  const stepOf = new Map(split.map((t, i) => [t.refId, steps[i] as number]));
  const remaining = new Map(
    split.filter((t) => t.queryType === 'logs').map((t) => [t.refId, t.limit ?? LIMITS.defaultLogs])
  );
  const key = `${request.requestId}-pieces`;

  return new Observable<DataQueryResponse>((subscriber) => {
    const subs = new Subscription();
    const frames = new Map<string, DataFrame[]>(split.map((t) => [t.refId, []]));
    let wholeFrames: DataFrame[] = [];
    let wholeDone = whole.length === 0;
    let errors: DataQueryError[] = [];
    let loadedBack: number | undefined;
    let piecesDone = false;

    const emit = () => {
      const done = piecesDone && wholeDone;
      const data = [...wholeFrames];
      for (const [refId, own] of frames) {
        if (piecesDone || loadedBack === undefined) {
          data.push(...own);
          continue;
        }
        const notice = { severity: 'info' as const, text: loadedBackTo(loadedBack, request.timezone) };
        const [first, ...rest] = own.length ? own : [{ refId, fields: [], length: 0 }];
        data.push({ ...first, meta: { ...first.meta, notices: [...(first.meta?.notices ?? []), notice] } }, ...rest);
      }
      subscriber.next({
        data,
        key,
        state: errors.length ? LoadingState.Error : done ? LoadingState.Done : LoadingState.Streaming,
        errors: errors.length ? errors : undefined,
      });
      if (done) {
        subscriber.complete();
      }
    };

    let read: Piece | undefined; // what the pieces so far cover
    const absorb = (r: DataQueryResponse | undefined, p: Piece) => {
      const failed = r ? errorsOf(r) : [];
      // A piece that failed was not read: no zeros are made up for it.
      if (failed.length === 0) {
        read = { from: p.from, to: read?.to ?? p.to };
      }
      for (const [refId, sofar] of frames) {
        const piece = (r?.data ?? []).filter((f: DataFrame) => f.refId === refId);
        if (isLogs.get(refId)) {
          frames.set(refId, mergeLogs(sofar, piece));
          remaining.set(refId, remaining.get(refId)! - rowCount(piece));
        } else {
          const merged = mergeSeries(sofar, piece);
          frames.set(refId, read ? fillSeries(merged, bucketTimes(read.from, read.to, stepOf.get(refId)!)) : merged);
        }
      }
      errors = [...errors, ...failed];
    };

    const runPiece = (i: number) => {
      // Log lines are newest first: once a query has its limit, older pieces add nothing.
      const targets = split
        .filter((t) => (remaining.get(t.refId) ?? 1) > 0)
        .map((t) => (remaining.has(t.refId) ? { ...t, limit: remaining.get(t.refId) } : t));
      if (i >= pieces.length || targets.length === 0) {
        piecesDone = true;
        emit();
        return;
      }
      let last: DataQueryResponse | undefined;
      const piece = { ...request, targets, range: rangeOf(pieces[i]), requestId: `${request.requestId}-${i}` };
      subs.add(
        run(piece).subscribe({
          next: (r) => (last = r),
          error: (e) => subscriber.error(e),
          complete: () => {
            absorb(last, pieces[i]);
            loadedBack = pieces[i].from;
            if (errors.length) {
              piecesDone = true; // what is shown stays; the error says why the rest is missing
              emit();
              return;
            }
            if (i + 1 < pieces.length) {
              emit();
            }
            runPiece(i + 1);
          },
        })
      );
    };

    if (whole.length) {
      subs.add(
        run({ ...request, targets: whole, requestId: `${request.requestId}-whole` }).subscribe({
          next: (r) => {
            wholeFrames = r.data;
            errors = [...errors, ...errorsOf(r)];
          },
          error: (e) => subscriber.error(e),
          complete: () => {
            wholeDone = true;
            emit();
          },
        })
      );
    }
    runPiece(0);
    return () => subs.unsubscribe();
  });
}
