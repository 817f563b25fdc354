import { Auth0Query, QueryType } from '../types';

/*
 * A long time range is asked for in pieces, newest first, so a panel fills as the answers come
 * rather than after the whole range has been read (the tenant log store may still be filling,
 * and the on-demand path reads Auth0 at 100 requests a minute).
 */

/**
 * The piece size: one day. Each piece is one query of the backend's own shape, so the newest day
 * answers in seconds at the default request budget; Grafana's Loki data source splits by a day
 * for the same reason. Pieces also end on day boundaries (UTC), which every bucket width up to a
 * day divides, so a bucket never straddles two pieces; a width that does not divide a day
 * stretches the piece to their least common multiple (a week for 7d buckets).
 */
export const PIECE_MS = 86_400_000;

/** Beyond this a piece would be a month or more: then the range is asked for whole. */
export const MAX_PIECE_MS = 31 * PIECE_MS;

/**
 * Which query types can be put together from pieces. A count or a distinct count is per bucket,
 * and a bucket lies in one piece, so the pieces' buckets together are the whole range's. Log
 * lines are newest first with a limit, so the newest pieces are the answer and older ones are
 * asked only for what the limit leaves. Top and values rank over the whole range (a value's total
 * and its place depend on every piece, and the limit cuts each piece's list), and a table is the
 * shape a person sorts and filters as a whole: these are asked for whole. So is a count with a
 * baseline: its band comes from history before the range, and its buckets are widened by the
 * backend to divide a day, which the pieces' step would not know.
 */
export function isPieceable(q: { queryType?: QueryType; baseline?: string }): boolean {
  if (q.baseline) {
    return false;
  }
  const type = q.queryType;
  return type === 'count' || type === 'distinct' || type === 'logs';
}

/** One piece of the range, in epoch milliseconds, [from, to). */
export interface Piece {
  from: number;
  to: number;
}

function gcd(a: number, b: number): number {
  while (b) {
    [a, b] = [b, a % b];
  }
  return a;
}

/** The piece size for queries with these bucket widths, or undefined when none is sensible. */
export function pieceSize(stepsMs: number[]): number | undefined {
  let size = PIECE_MS;
  for (const step of stepsMs) {
    if (!Number.isInteger(step) || step <= 0) {
      return undefined;
    }
    size = (size / gcd(size, step)) * step;
    if (size > MAX_PIECE_MS) {
      return undefined;
    }
  }
  return size;
}

/**
 * Cuts [from, to) at multiples of size since the epoch, newest piece first. A range no longer than
 * a piece (the 24-hour dashboards) is not long: it is asked for whole, and the result is empty.
 */
export function cutRange(from: number, to: number, size: number): Piece[] {
  if (to - from <= size) {
    return [];
  }
  const pieces: Piece[] = [];
  let end = to;
  let start = Math.floor((to - 1) / size) * size;
  while (end > from) {
    start = Math.max(start, from);
    pieces.push({ from: start, to: end });
    end = start;
    start -= size;
  }
  return pieces.length > 1 ? pieces : [];
}

/** The bucket width the backend uses for a query: its own interval, else Grafana's, at least 1 s. */
export function bucketMs(query: Auth0Query, grafanaIntervalMs: number, parse: (s: string) => number | undefined) {
  if (query.queryType === 'logs') {
    return PIECE_MS; // no buckets: any piece size will do
  }
  if (query.interval) {
    return parse(query.interval);
  }
  // pkg/plan: a step under a second becomes a minute.
  return grafanaIntervalMs >= 1000 ? grafanaIntervalMs : 60_000;
}
