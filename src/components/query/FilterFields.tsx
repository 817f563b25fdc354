import React from 'react';

import { TimeRange } from '@grafana/data';

import type { DataSource } from '../../datasource';
import { QueryValidationOptions } from '../../resources';
import { Auth0Query } from '../../types';
import { useCatalog } from '../useLoaded';
import { CategoryFilter, EventTypeFilter } from './EventTypeFilter';
import { QueryField } from './QueryField';

interface Props {
  datasource: DataSource;
  query: Auth0Query;
  /**
   * Receives every change; `run` says whether it should run the query at once (a selection) or
   * wait for the field to be committed (typing).
   */
  onChange: (next: Auth0Query, run: boolean) => void;
  onRunQuery: () => void;
  labelWidth: number;
  /** The error the last run of the query ended with, if any (see QueryField). */
  runError?: string;
  /** The panel's time range, for the validator's cost sentence. */
  range?: TimeRange;
}

/** What the validator is told besides the query text: the rest of the query and the range in ms. */
export function validationOptionsOf(query: Auth0Query, range?: TimeRange): QueryValidationOptions {
  return {
    queryType: query.queryType,
    eventTypes: query.eventTypes,
    categories: query.categories,
    groupBy: query.groupBy,
    distinctField: query.distinctField,
    interval: query.interval,
    from: range?.from.valueOf(),
    to: range?.to.valueOf(),
  };
}

/**
 * What narrows a query, shared by the query and annotation editors: the Auth0 query and the
 * event-type and category filters.
 */
export function FilterFields({ datasource, query, onChange, onRunQuery, labelWidth, runError, range }: Props) {
  const { catalog, loading } = useCatalog(datasource);
  return (
    <>
      <QueryField
        datasource={datasource}
        value={query.query ?? ''}
        onChange={(text) => onChange({ ...query, query: text }, false)}
        onCommit={onRunQuery}
        onRunQuery={onRunQuery}
        labelWidth={labelWidth}
        runError={runError}
        validationOptions={validationOptionsOf(query, range)}
      />
      <EventTypeFilter
        catalog={catalog}
        loading={loading}
        value={query.eventTypes}
        onChange={(eventTypes) => onChange({ ...query, eventTypes }, true)}
        labelWidth={labelWidth}
      />
      <CategoryFilter
        catalog={catalog}
        loading={loading}
        value={query.categories}
        onChange={(categories) => onChange({ ...query, categories }, true)}
        labelWidth={labelWidth}
      />
    </>
  );
}
