import React, { useMemo } from 'react';

import { PanelData, QueryEditorProps } from '@grafana/data';
import { Stack } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { Auth0Options, Auth0Query, QueryType } from '../types';
import { fieldPaths } from './query/completion';
import { FilterFields } from './query/FilterFields';
import { LastRunCost } from './query/LastRunCost';
import { QueryTypeField } from './query/QueryTypeField';
import { TypeOptions } from './query/TypeOptions';
import { useSearchFields } from './useLoaded';

type Props = QueryEditorProps<DataSource, Auth0Query, Auth0Options>;

/** Label width shared by the editor's rows, so their fields line up. */
export const LABEL_WIDTH = 14;

/** The error Grafana shows under this query's editor row after a run, if any. */
function runErrorOf(data: PanelData | undefined, refId: string): string | undefined {
  return data?.errors?.find((e) => e.refId === refId)?.message;
}

/**
 * The query editor: type, Auth0 query, event-type and category filters, the options of the type,
 * and the cost of the last run. Selections run the query at once; text fields run it on blur.
 */
export function QueryEditor({ datasource, query, onChange, onRunQuery, data, range }: Props) {
  const type: QueryType = query.queryType ?? 'logs';
  const fields = useSearchFields(datasource).value;
  const paths = useMemo(() => fieldPaths(fields), [fields]);

  const change = (next: Auth0Query, run: boolean) => {
    onChange(next);
    if (run) {
      onRunQuery();
    }
  };

  // Limits mean events for logs and table but values for top and values, so a switch resets it.
  const onTypeChange = (queryType: QueryType) =>
    change({ ...query, queryType, limit: undefined, baseline: undefined }, true);

  return (
    <Stack direction="column" gap={0.5}>
      <QueryTypeField value={type} onChange={onTypeChange} labelWidth={LABEL_WIDTH} />
      <FilterFields
        datasource={datasource}
        query={query}
        onChange={change}
        onRunQuery={onRunQuery}
        labelWidth={LABEL_WIDTH}
        runError={runErrorOf(data, query.refId)}
        range={range}
      />
      <TypeOptions
        query={{ ...query, queryType: type }}
        onChange={change}
        onRunQuery={onRunQuery}
        labelWidth={LABEL_WIDTH}
        paths={paths}
      />
      <LastRunCost data={data} refId={query.refId} />
    </Stack>
  );
}
