import { parseInterval } from '../validation';
import { bucketMs, cutRange, isPieceable, PIECE_MS, pieceSize } from './plan';

const DAY = PIECE_MS;
const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 11, 7, 5, 40); // a Monday, 05:40 UTC

describe('cutRange', () => {
  it('cuts at UTC day boundaries, newest piece first, covering the range exactly', () => {
    const pieces = cutRange(T0 - 3 * DAY, T0, DAY);
    expect(pieces).toEqual([
      { from: Date.UTC(2026, 11, 7), to: T0 },
      { from: Date.UTC(2026, 11, 6), to: Date.UTC(2026, 11, 7) },
      { from: Date.UTC(2026, 11, 5), to: Date.UTC(2026, 11, 6) },
      { from: T0 - 3 * DAY, to: Date.UTC(2026, 11, 5) },
    ]);
  });

  it('gives nothing when the range fits in one piece', () => {
    expect(cutRange(Date.UTC(2026, 11, 6), Date.UTC(2026, 11, 7), DAY)).toEqual([]);
    expect(cutRange(T0 - HOUR, T0, DAY)).toEqual([]);
  });

  it('asks for up to a day whole, even across midnight', () => {
    expect(cutRange(T0 - DAY, T0, DAY)).toEqual([]);
    expect(cutRange(T0 - DAY - 1, T0, DAY)).toHaveLength(2);
  });

  it('never lets a bucket straddle two pieces', () => {
    for (const step of [60_000, 10 * 60_000, HOUR, 3 * HOUR, DAY, 7 * DAY]) {
      const size = pieceSize([step])!;
      for (const p of cutRange(T0 - 40 * DAY, T0, size).slice(1)) {
        expect(p.to % step).toBe(0); // every inner boundary is a bucket boundary (buckets start at the epoch)
      }
    }
  });
});

describe('pieceSize', () => {
  it('is a day for every bucket width that divides a day', () => {
    expect(pieceSize([60_000, HOUR, DAY])).toBe(DAY);
    expect(pieceSize([90 * 60_000])).toBe(DAY);
  });
  it('stretches to a common multiple, and gives up past a month', () => {
    expect(pieceSize([7 * DAY])).toBe(7 * DAY);
    expect(pieceSize([7 * 60_000])).toBe(7 * DAY);
    expect(pieceSize([45 * DAY])).toBeUndefined();
    expect(pieceSize([0])).toBeUndefined();
  });
});

describe('isPieceable', () => {
  it('takes counts, distinct counts and log lines; top, values and tables need the whole range', () => {
    expect(['count', 'distinct', 'logs'].every((t) => isPieceable({ queryType: t as never }))).toBe(true);
    expect(['top', 'values', 'table', undefined].some((t) => isPieceable({ queryType: t as never }))).toBe(false);
  });

  it('asks a count with a baseline for whole: its band depends on history before the range', () => {
    expect(isPieceable({ queryType: 'count', baseline: 'band' })).toBe(false);
    expect(isPieceable({ queryType: 'count', baseline: 'score' })).toBe(false);
  });
});

describe('bucketMs', () => {
  it("uses the query's interval, else Grafana's, at least a second as the backend does", () => {
    expect(bucketMs({ refId: 'A', queryType: 'count', interval: '1h' }, 60_000, parseInterval)).toBe(HOUR);
    expect(bucketMs({ refId: 'A', queryType: 'count' }, 300_000, parseInterval)).toBe(300_000);
    expect(bucketMs({ refId: 'A', queryType: 'count' }, 500, parseInterval)).toBe(60_000);
    expect(bucketMs({ refId: 'A', queryType: 'count', interval: 'soon' }, 60_000, parseInterval)).toBeUndefined();
  });
});
