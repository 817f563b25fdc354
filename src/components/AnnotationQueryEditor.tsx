import React from 'react';

import { AnnotationQuery, QueryEditorProps } from '@grafana/data';
import { Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { AnnotationEditorSelectors } from '../selectors';
import { Auth0Options, Auth0Query } from '../types';
import { FilterFields } from './query/FilterFields';
import { LimitField } from './query/OptionFields';
import { LABEL_WIDTH } from './QueryEditor';

type Props = QueryEditorProps<DataSource, Auth0Query, Auth0Options> & {
  annotation?: AnnotationQuery<Auth0Query>;
  onAnnotationChange?: (annotation: AnnotationQuery<Auth0Query>) => void;
};

/**
 * Annotation editor: a logs query narrowed by Auth0 query, event types (e.g. every sapi or
 * limit_wc event) and categories. The query type is fixed to logs, so it is not offered.
 */
export function AnnotationQueryEditor({ datasource, query, onChange, onRunQuery, range }: Props) {
  const change = (next: Auth0Query) => onChange({ ...next, queryType: 'logs' });
  return (
    <Stack direction="column" gap={0.5}>
      <Text variant="bodySmall" color="secondary">
        {AnnotationEditorSelectors.description}
      </Text>
      <FilterFields
        datasource={datasource}
        query={query}
        onChange={change}
        onRunQuery={onRunQuery}
        labelWidth={LABEL_WIDTH}
        range={range}
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
