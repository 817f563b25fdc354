import React from 'react';

import { AnnotationQuery, QueryEditorProps } from '@grafana/data';
import { Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { AnnotationEditorSelectors } from '../selectors';
import { Auth0Options, Auth0Query } from '../types';
import { CategoryFilter, EventTypeFilter } from './query/EventTypeFilter';
import { LimitField } from './query/OptionFields';
import { QueryField } from './query/QueryField';
import { useCatalog } from './useLoaded';

type Props = QueryEditorProps<DataSource, Auth0Query, Auth0Options> & {
  annotation?: AnnotationQuery<Auth0Query>;
  onAnnotationChange?: (annotation: AnnotationQuery<Auth0Query>) => void;
};

const LABEL_WIDTH = 14;

/**
 * Annotation editor: a logs query narrowed by Auth0 query, event types (e.g. every sapi or
 * limit_wc event) and categories. The query type is fixed to logs, so it is not offered.
 */
export function AnnotationQueryEditor({ datasource, query, onChange, onRunQuery }: Props) {
  const { catalog, loading } = useCatalog(datasource);
  const change = (next: Auth0Query) => onChange({ ...next, queryType: 'logs' });
  return (
    <Stack direction="column" gap={0.5}>
      <Text variant="bodySmall" color="secondary">
        {AnnotationEditorSelectors.description}
      </Text>
      <QueryField
        datasource={datasource}
        value={query.query ?? ''}
        onChange={(text) => change({ ...query, query: text })}
        onCommit={onRunQuery}
        onRunQuery={onRunQuery}
        labelWidth={LABEL_WIDTH}
      />
      <EventTypeFilter
        catalog={catalog}
        loading={loading}
        value={query.eventTypes}
        onChange={(eventTypes) => change({ ...query, eventTypes })}
        labelWidth={LABEL_WIDTH}
      />
      <CategoryFilter
        catalog={catalog}
        loading={loading}
        value={query.categories}
        onChange={(categories) => change({ ...query, categories })}
        labelWidth={LABEL_WIDTH}
      />
      <LimitField
        type="logs"
        value={query.limit}
        onChange={(limit) => change({ ...query, limit })}
        onBlur={onRunQuery}
        labelWidth={LABEL_WIDTH}
      />
    </Stack>
  );
}
