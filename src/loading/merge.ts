import {
  DataFrame,
  Field,
  FieldType,
  QueryResultMeta,
  QueryResultMetaNotice,
  QueryResultMetaStat,
} from '@grafana/data';

/*
 * Puts the frames of several pieces of a range together. A series (a count or distinct count by
 * its labels) gets the buckets of every piece; pieces never share a bucket, so equal times are
 * summed only as a safeguard. Log lines are appended, newest piece first.
 */

function seriesKey(frame: DataFrame): string {
  const value = frame.fields.find((f) => f.type !== FieldType.time);
  return JSON.stringify([frame.refId, frame.name, value?.name, value?.labels ?? {}]);
}

function mergeMeta(a: QueryResultMeta | undefined, b: QueryResultMeta | undefined): QueryResultMeta | undefined {
  if (!a || !b) {
    return a ?? b;
  }
  const notices: QueryResultMetaNotice[] = [...(a.notices ?? [])];
  for (const n of b.notices ?? []) {
    if (!notices.some((m) => m.text === n.text)) {
      notices.push(n);
    }
  }
  // What a query spent is what its pieces spent together.
  const stats: QueryResultMetaStat[] = (a.stats ?? []).map((s) => ({ ...s }));
  for (const s of b.stats ?? []) {
    const same = stats.find((t) => t.displayName === s.displayName);
    if (same) {
      same.value += s.value;
    } else {
      stats.push({ ...s });
    }
  }
  return { ...a, notices: notices.length ? notices : undefined, stats: stats.length ? stats : undefined };
}

function appendRows(a: DataFrame, b: DataFrame): DataFrame {
  const fields: Field[] = a.fields.map((f) => {
    const other = b.fields.find((g) => g.name === f.name);
    const more = other ? other.values : new Array(b.length).fill(null);
    return { ...f, values: [...f.values, ...more] };
  });
  return { ...a, fields, length: a.length + b.length, meta: mergeMeta(a.meta, b.meta) };
}

/** Sorts a series by time and sums the values of equal times. */
function settleSeries(frame: DataFrame): DataFrame {
  const time = frame.fields.findIndex((f) => f.type === FieldType.time);
  if (time < 0 || frame.fields.length !== 2) {
    return frame;
  }
  const value = 1 - time;
  const byTime = new Map<number, number | null>();
  frame.fields[time].values.forEach((t: number, i: number) => {
    const v = frame.fields[value].values[i] as number | null;
    const had = byTime.get(t);
    byTime.set(t, had === undefined ? v : v === null ? had : (had ?? 0) + v);
  });
  const times = [...byTime.keys()].sort((x, y) => x - y);
  const fields = [...frame.fields];
  fields[time] = { ...fields[time], values: times };
  fields[value] = { ...fields[value], values: times.map((t) => byTime.get(t) ?? null) };
  return { ...frame, fields, length: times.length };
}

/** Adds one piece's frames of a bucketed query (count, distinct) to what earlier pieces gave. */
export function mergeSeries(sofar: DataFrame[], piece: DataFrame[]): DataFrame[] {
  const out = [...sofar];
  for (const frame of piece) {
    const at = out.findIndex((f) => seriesKey(f) === seriesKey(frame));
    out[at < 0 ? out.length : at] = settleSeries(at < 0 ? frame : appendRows(out[at], frame));
  }
  return out;
}

/** The bucket start times of [from, to) at a step, aligned to the epoch as pkg/aggregate aligns them. */
export function bucketTimes(from: number, to: number, step: number): number[] {
  const times: number[] = [];
  for (let t = Math.floor(from / step) * step; t < to; t += step) {
    times.push(t);
  }
  return times;
}

/**
 * Gives every series of a query a value at each of the times read so far. The backend answers
 * only for the groups a range holds, so a group with no events in one piece is missing there,
 * where the whole range would have said 0. A time another series of the query has as null was
 * not read (partial data), and stays null rather than become a false zero.
 */
export function fillSeries(frames: DataFrame[], times: number[]): DataFrame[] {
  const unread = new Set<number>();
  for (const f of frames) {
    const t = f.fields.find((x) => x.type === FieldType.time);
    const v = f.fields.find((x) => x.type !== FieldType.time);
    t?.values.forEach((time: number, i: number) => v?.values[i] === null && unread.add(time));
  }
  return frames.map((f) => {
    const time = f.fields.findIndex((x) => x.type === FieldType.time);
    if (time < 0 || f.fields.length !== 2) {
      return f;
    }
    const have = new Set<number>(f.fields[time].values);
    const missing = times.filter((t) => !have.has(t));
    if (missing.length === 0) {
      return f;
    }
    const value = 1 - time;
    const fields = [...f.fields];
    fields[time] = { ...fields[time], values: [...fields[time].values, ...missing] };
    fields[value] = {
      ...fields[value],
      values: [...fields[value].values, ...missing.map((t) => (unread.has(t) ? null : 0))],
    };
    return settleSeries({ ...f, fields, length: f.length + missing.length });
  });
}

/** Adds one piece's log lines (one frame a query) after those of the newer pieces. */
export function mergeLogs(sofar: DataFrame[], piece: DataFrame[]): DataFrame[] {
  if (rowCount(sofar) === 0 && piece.length > 0) {
    return [{ ...piece[0], meta: mergeMeta(sofar[0]?.meta, piece[0].meta) }, ...piece.slice(1)];
  }
  if (rowCount(piece) === 0) {
    return sofar.length ? [{ ...sofar[0], meta: mergeMeta(sofar[0].meta, piece[0]?.meta) }, ...sofar.slice(1)] : sofar;
  }
  return [appendRows(sofar[0], piece[0]), ...sofar.slice(1)];
}

/** Rows a logs answer holds. */
export function rowCount(frames: DataFrame[]): number {
  return frames.reduce((n, f) => n + f.length, 0);
}
