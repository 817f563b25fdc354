import { createDataFrame, DataFrame, FieldType } from '@grafana/data';

import { bucketTimes, fillSeries, mergeLogs, mergeSeries } from './merge';

function series(type: string, points: Array<[number, number]>, stats = 1): DataFrame {
  return createDataFrame({
    refId: 'A',
    name: 'count',
    fields: [
      { name: 'time', type: FieldType.time, values: points.map((p) => p[0]) },
      { name: 'count', type: FieldType.number, values: points.map((p) => p[1]), labels: { type } },
    ],
    meta: {
      stats: [{ displayName: 'Auth0 requests', value: stats }],
      notices: [{ severity: 'warning', text: 'partial' }],
    },
  });
}

const values = (f: DataFrame, i: number) => f.fields[i].values;

describe('mergeSeries', () => {
  it('joins the buckets of each series across pieces, in time order', () => {
    const newest = [
      series('fu', [
        [3, 30],
        [4, 40],
      ]),
      series('s', [[4, 1]]),
    ];
    const older = [
      series('fu', [
        [1, 10],
        [2, 20],
      ]),
      series('fp', [[2, 5]]),
    ];
    const merged = mergeSeries(mergeSeries([], newest), older);
    expect(merged).toHaveLength(3);
    const fu = merged.find((f) => f.fields[1].labels?.type === 'fu')!;
    expect(values(fu, 0)).toEqual([1, 2, 3, 4]);
    expect(values(fu, 1)).toEqual([10, 20, 30, 40]);
    expect(fu.length).toBe(4);
  });

  it('adds up what the pieces spent and keeps each notice once', () => {
    const merged = mergeSeries([series('fu', [[2, 1]], 3)], [series('fu', [[1, 1]], 4)]);
    expect(merged[0].meta?.stats).toEqual([{ displayName: 'Auth0 requests', value: 7 }]);
    expect(merged[0].meta?.notices).toHaveLength(1);
  });

  it('sums a bucket two pieces both report', () => {
    const merged = mergeSeries([series('fu', [[2, 1]])], [series('fu', [[2, 4]])]);
    expect(values(merged[0], 1)).toEqual([5]);
  });
});

describe('mergeLogs', () => {
  const logs = (ids: string[]) =>
    createDataFrame({ refId: 'A', fields: [{ name: 'id', type: FieldType.string, values: ids }] });

  it('appends older lines after newer ones', () => {
    const merged = mergeLogs(mergeLogs([], [logs(['c', 'b'])]), [logs(['a'])]);
    expect(values(merged[0], 0)).toEqual(['c', 'b', 'a']);
    expect(merged[0].length).toBe(3);
  });

  it('takes the first piece with lines when the newest had none', () => {
    const empty = { refId: 'A', fields: [], length: 0 };
    expect(values(mergeLogs([empty], [logs(['a'])])[0], 0)).toEqual(['a']);
    expect(values(mergeLogs([logs(['a'])], [empty])[0], 0)).toEqual(['a']);
  });
});

describe('fillSeries', () => {
  const nullable = (type: string, points: Array<[number, number | null]>) =>
    createDataFrame({
      refId: 'A',
      fields: [
        { name: 'time', type: FieldType.time, values: points.map((p) => p[0]) },
        { name: 'count', type: FieldType.number, values: points.map((p) => p[1]), labels: { type } },
      ],
    });

  it('gives a group missing from a piece the zeros the whole range would have', () => {
    // fu had events only in the newer piece, s in both: the older piece said nothing of fu.
    const merged = mergeSeries(
      [series('fu', [[3, 5]]), series('s', [[3, 1]])],
      [
        series('s', [
          [1, 1],
          [2, 1],
        ]),
      ]
    );
    const filled = fillSeries(merged, [1, 2, 3]);
    const fu = filled.find((f) => f.fields[1].labels?.type === 'fu')!;
    expect(values(fu, 0)).toEqual([1, 2, 3]);
    expect(values(fu, 1)).toEqual([0, 0, 5]);
  });

  it('keeps a time no series read as a gap, never a false zero', () => {
    const filled = fillSeries(
      [
        nullable('s', [
          [1, null],
          [2, 4],
        ]),
        nullable('fu', [[2, 1]]),
      ],
      [1, 2]
    );
    expect(values(filled[1], 1)).toEqual([null, 1]);
  });

  it('lists the bucket starts of a range as the backend aligns them', () => {
    expect(bucketTimes(90, 300, 100)).toEqual([0, 100, 200]);
  });
});
