import React from 'react';

import { InlineFieldRow } from '@grafana/ui';

import { FieldPath } from '../../resources';
import { QueryEditorSelectors } from '../../selectors';
import { Auth0Query, QueryType } from '../../types';
import {
  BaselineField,
  FieldSelect,
  IntervalField,
  KeepAllGroupsField,
  LegendField,
  LimitField,
  MinCountField,
} from './OptionFields';

const s = QueryEditorSelectors;

/** Props every per-type editor gets. */
export interface TypeOptionsProps {
  query: Auth0Query;
  /** Changes the query; run=true also runs it (selects), false waits for blur (text fields). */
  onChange: (query: Auth0Query, run: boolean) => void;
  onRunQuery: () => void;
  labelWidth: number;
  /** Field paths to suggest for group by, distinct field and the ranked field. */
  paths?: FieldPath[];
}

/** Logs and table: how many of the newest events. */
function EventsOptions({ query, onChange, onRunQuery, labelWidth }: TypeOptionsProps) {
  return (
    <InlineFieldRow>
      <LimitField
        type={query.queryType ?? 'logs'}
        value={query.limit}
        onChange={(limit) => onChange({ ...query, limit }, false)}
        onBlur={onRunQuery}
        labelWidth={labelWidth}
      />
    </InlineFieldRow>
  );
}

/** Count and distinct: time series options, plus the distinct field for distinct. */
function SeriesOptions({ query, onChange, onRunQuery, labelWidth, paths }: TypeOptionsProps) {
  const distinct = query.queryType === 'distinct';
  return (
    <InlineFieldRow>
      {distinct && (
        <FieldSelect
          selector={s.distinctField}
          value={query.distinctField}
          onChange={(distinctField) => onChange({ ...query, distinctField }, true)}
          paths={paths}
          labelWidth={labelWidth}
        />
      )}
      <FieldSelect
        selector={s.groupBy}
        value={query.groupBy}
        onChange={(groupBy) => onChange({ ...query, groupBy: groupBy ?? '' }, true)}
        paths={paths}
        labelWidth={distinct ? undefined : labelWidth}
      />
      <IntervalField
        value={query.interval}
        onChange={(interval) => onChange({ ...query, interval }, false)}
        onBlur={onRunQuery}
      />
      <LegendField
        value={query.legendFormat}
        onChange={(legendFormat) => onChange({ ...query, legendFormat }, false)}
        onBlur={onRunQuery}
      />
      <KeepAllGroupsField
        value={query.keepAllGroups}
        onChange={(keepAllGroups) => onChange({ ...query, keepAllGroups }, true)}
      />
      {query.groupBy && (
        <MinCountField
          value={query.minCount}
          grouped
          onChange={(minCount) => onChange({ ...query, minCount }, false)}
          onBlur={onRunQuery}
        />
      )}
      {!distinct && (
        <BaselineField
          value={query.baseline}
          grouped={!!query.groupBy}
          onChange={(baseline) => onChange({ ...query, baseline }, true)}
        />
      )}
    </InlineFieldRow>
  );
}

/** Top and values: which field to rank or list, and how many values. */
function RankOptions({ query, onChange, onRunQuery, labelWidth, paths }: TypeOptionsProps) {
  return (
    <InlineFieldRow>
      <FieldSelect
        selector={s.rankBy}
        value={query.groupBy}
        onChange={(groupBy) => onChange({ ...query, groupBy: groupBy ?? '' }, true)}
        paths={paths}
        labelWidth={labelWidth}
      />
      <LimitField
        type={query.queryType ?? 'top'}
        value={query.limit}
        onChange={(limit) => onChange({ ...query, limit }, false)}
        onBlur={onRunQuery}
      />
    </InlineFieldRow>
  );
}

const EDITORS: Record<QueryType, React.ComponentType<TypeOptionsProps>> = {
  logs: EventsOptions,
  table: EventsOptions,
  count: SeriesOptions,
  distinct: SeriesOptions,
  top: RankOptions,
  values: RankOptions,
  ingestion: NoOptions,
};

/** Ingestion reads the store's tail, not events: it has no options. */
function NoOptions() {
  return null;
}

/** The options of the query's type; the shared filters (query, event types) are not here. */
export function TypeOptions(props: TypeOptionsProps) {
  const Editor = EDITORS[props.query.queryType ?? 'logs'] ?? EventsOptions;
  return <Editor {...props} />;
}
