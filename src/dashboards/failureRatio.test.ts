import * as fs from 'fs';
import * as path from 'path';

import {
  DataFrame,
  DataTransformerConfig,
  FieldType,
  standardTransformers,
  standardTransformersRegistry,
  transformDataFrame,
  TransformerRegistryItem,
} from '@grafana/data';
import { lastValueFrom } from 'rxjs';

/*
 * The login flow's error rate: a panel of its own beside the seed's counts, failures / (successes
 * + failures) per bucket, computed by Grafana's transformations from two count queries. The test
 * runs the panel's own transformations on frames shaped as the backend sends them.
 */

interface Target {
  refId: string;
  queryType?: string;
  eventTypes?: string[];
  legendFormat?: string;
  interval?: string;
  groupBy?: string;
}

interface Panel {
  title: string;
  type: string;
  interval?: string;
  targets: Target[];
  transformations: DataTransformerConfig[];
  fieldConfig: { defaults: { unit?: string; min?: number; max?: number } };
}

const dash = JSON.parse(fs.readFileSync(path.join(__dirname, 'anomaly-detection.json'), 'utf8')) as { panels: Panel[] };
const ratio = dash.panels.find((p) => p.title === 'Login failure ratio')!;
const counts = dash.panels.find((p) => p.title === 'Rate of errors in login flow')!;

beforeAll(() => {
  // Some transformers are listed under two names; the registry takes each id once.
  const byId = new Map(Object.values(standardTransformers).map((t) => [t.id, t]));
  standardTransformersRegistry.setInit(() =>
    [...byId.values()].map(
      (t) =>
        ({
          id: t.id,
          aliasIds: t.aliasIds,
          name: t.name,
          transformation: t,
        }) as unknown as TransformerRegistryItem<unknown>
    )
  );
});

const HOUR = 3_600_000;
const times = [0, 1, 2, 3, 4].map((h) => Date.UTC(2026, 10, 20, h));

/** A count series as pkg/framer.TimeSeries sends it: "time" and a nullable "count" with a legend name. */
function countFrame(refId: string, legend: string, values: Array<number | null>): DataFrame {
  return {
    refId,
    length: values.length,
    fields: [
      { name: 'time', type: FieldType.time, config: { interval: HOUR }, values: times },
      { name: 'count', type: FieldType.number, config: { displayNameFromDS: legend }, values },
    ],
  };
}

describe('Login failure ratio', () => {
  it('keeps the seed count chart and adds the ratio as a panel of its own', () => {
    expect(counts.targets[0]).toMatchObject({ queryType: 'count', groupBy: 'type', eventTypes: ['s', 'fu', 'fp'] });
    expect(ratio.type).toBe('timeseries');
    expect(ratio).not.toBe(counts);
  });

  it('counts successes and the same failures the count chart shows, in the same buckets', () => {
    const byLegend = Object.fromEntries(ratio.targets.map((t) => [t.legendFormat, t]));
    expect(byLegend.successes).toMatchObject({ queryType: 'count', eventTypes: ['s'] });
    const failures = counts.targets[0].eventTypes!.filter((c) => c !== 's');
    expect([...byLegend.failures.eventTypes!].sort()).toEqual([...failures].sort());
    expect(byLegend.failures.queryType).toBe('count');
    // Both queries take the panel's interval, so their buckets line up.
    ratio.targets.forEach((t) => expect(t.interval).toBeUndefined());
    ratio.targets.forEach((t) => expect(t.groupBy).toBeUndefined());
    expect(ratio.interval).toBe(counts.interval);
    expect(ratio.fieldConfig.defaults).toMatchObject({ unit: 'percentunit', min: 0, max: 1 });
  });

  it('is failures / (successes + failures) per bucket, a gap where nothing was read or nobody logged in', async () => {
    const successes = [90, 10, 0, null, 5];
    const failures = [10, 30, 0, 4, 0];
    const input = [countFrame('A', 'successes', successes), countFrame('B', 'failures', failures)];
    const out = await lastValueFrom(transformDataFrame(ratio.transformations, input));
    expect(out).toHaveLength(1);
    const value = out[0].fields.find((f) => f.type === FieldType.number && f.name === 'failure ratio');
    expect(value).toBeDefined();
    expect(out[0].fields.filter((f) => f.type === FieldType.number)).toHaveLength(1);
    // Grafana's arithmetic reads null as 0, which would make an unread successes bucket a 100%
    // failure rate: the panel drops such rows instead, so the bucket has no bar.
    expect(out[0].fields.find((f) => f.type === FieldType.time)?.values).toEqual([0, 1, 2, 4].map((i) => times[i]));
    const got = value!.values as number[];
    expect(got[0]).toBeCloseTo(0.1);
    expect(got[1]).toBeCloseTo(0.75);
    expect(Number.isFinite(got[2])).toBe(false); // 0 / 0: no logins, no ratio
    expect(got[3]).toBe(0);
  });
});
