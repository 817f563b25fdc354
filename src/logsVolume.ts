import { DataFrame, DataQueryRequest, Field, FieldType, LogLevel } from '@grafana/data';

import { EventTypeCatalog, Outcome } from './resources';
import { Auth0Query } from './types';

/*
 * Explore's histogram above the logs, for the whole range. The logs query returns at most 1,000
 * rows, so binning them would draw the newest rows, not the range. The volume is instead a count
 * query grouped by event type over the same range and filter, whose series are then added up by
 * the level each type's outcome gives a log line (eventtypes.Outcome.LogLevel in the backend), so
 * the bars and the rows' colours agree and the bars add up to the count query's total.
 */

/** Grafana's own prefix for a logs-volume query's refId; Explore strips it again. */
export const VOLUME_REF_PREFIX = 'log-volume-';

/** The level a log line of this outcome has; mirrors eventtypes.Outcome.LogLevel. */
export function outcomeLevel(outcome: Outcome | undefined): LogLevel {
  switch (outcome) {
    case 'success':
      return LogLevel.info;
    case 'failure':
      return LogLevel.error;
    case 'warning':
      return LogLevel.warning;
    default:
      return LogLevel.debug;
  }
}

/**
 * The count query whose series make the volume of a logs query: same filter, grouped by type, no
 * group folded into "(other)" (the level of "(other)" would be unknown), Grafana's interval.
 */
export function volumeQuery(q: Auth0Query): Auth0Query {
  return {
    refId: VOLUME_REF_PREFIX + q.refId,
    datasource: q.datasource,
    queryType: 'count',
    query: q.query,
    eventTypes: q.eventTypes,
    categories: q.categories,
    groupBy: 'type',
    keepAllGroups: true,
  };
}

/** The volume request for a logs request, or undefined when no logs query is in it. */
export function volumeRequest(request: DataQueryRequest<Auth0Query>): DataQueryRequest<Auth0Query> | undefined {
  const targets = request.targets.filter((t) => !t.hide && (t.queryType ?? 'logs') === 'logs').map(volumeQuery);
  if (targets.length === 0) {
    return undefined;
  }
  return { ...request, targets, requestId: request.requestId + '_log_volume' };
}

export function isVolumeRequest(request: DataQueryRequest<Auth0Query>): boolean {
  return request.targets.length > 0 && request.targets.every((t) => t.refId.startsWith(VOLUME_REF_PREFIX));
}

/**
 * Adds the per-type series of each volume query up into one series per level. Every series of
 * one query shares the query's buckets, so values add index by index; a bucket no series read
 * (null: the fetch did not reach it) stays null rather than becoming a zero.
 */
export function volumeByLevel(frames: DataFrame[], catalog: EventTypeCatalog): DataFrame[] {
  const outcomes = new Map(catalog.types.map((t) => [t.code, t.outcome]));
  const groups = new Map<string, { refId: string; level: LogLevel; time: Field; sums: Array<number | null> }>();
  const passThrough: DataFrame[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    const value = frame.fields.find((f) => f.type === FieldType.number);
    if (!frame.refId?.startsWith(VOLUME_REF_PREFIX) || !time || !value || frame.length === 0) {
      passThrough.push(frame);
      continue;
    }
    const level = outcomeLevel(outcomes.get(value.labels?.type ?? ''));
    const key = `${frame.refId}\u0000${level}`;
    let g = groups.get(key);
    if (!g) {
      g = { refId: frame.refId, level, time, sums: new Array(frame.length).fill(null) };
      groups.set(key, g);
    }
    for (let i = 0; i < frame.length && i < g.sums.length; i++) {
      const v = value.values[i];
      if (v !== null && v !== undefined) {
        g.sums[i] = (g.sums[i] ?? 0) + Number(v);
      }
    }
  }
  const levels = [...groups.values()].map((g): DataFrame => ({
    refId: g.refId,
    name: g.level,
    length: g.sums.length,
    fields: [
      { ...g.time, config: {} },
      {
        name: 'count',
        type: FieldType.number,
        config: { displayNameFromDS: g.level },
        labels: { level: g.level },
        values: g.sums,
      },
    ],
  }));
  return [...passThrough.filter((f) => !f.refId?.startsWith(VOLUME_REF_PREFIX) || f.length > 0), ...levels];
}
