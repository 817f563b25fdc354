import React, { useMemo } from 'react';

import { QueryEditorProps, SelectableValue } from '@grafana/data';
import { Combobox, InlineField, InlineFieldRow, RadioButtonGroup, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { VariableEditorSelectors } from '../selectors';
import { Auth0Options, Auth0Query, Auth0VariableQuery, VariableKind } from '../types';
import { fieldPaths } from './query/completion';
import { categoryOptions } from './query/eventTypeOptions';
import { FieldSelect, LimitField } from './query/OptionFields';
import { QueryField } from './query/QueryField';
import { useCatalog, useSearchFields } from './useLoaded';

type Props = QueryEditorProps<DataSource, Auth0Query, Auth0Options, Auth0VariableQuery>;

const s = VariableEditorSelectors;
const LABEL_WIDTH = 12;

const KINDS: Array<SelectableValue<VariableKind>> = (['values', 'eventTypes', 'categories'] as const).map((k) => ({
  value: k,
  label: s.kind.options[k].label,
  description: s.kind.options[k].description,
}));

/**
 * Template variable editor: event types (optionally of one category) and categories come from the
 * catalog for free; field values run a values query over the dashboard's time range.
 */
export function VariableQueryEditor({ datasource, query, onChange, range }: Props) {
  const { catalog, loading } = useCatalog(datasource);
  const categories = useMemo(() => categoryOptions(catalog), [catalog]);
  const fields = useSearchFields(datasource).value;
  const paths = useMemo(() => fieldPaths(fields), [fields]);
  const kind: VariableKind = query.kind ?? 'values';
  const update = (patch: Partial<Auth0VariableQuery>) => onChange({ ...query, kind, ...patch });
  const noop = () => {};

  return (
    <Stack direction="column" gap={0.5}>
      <InlineField label={s.kind.label} labelWidth={LABEL_WIDTH}>
        <RadioButtonGroup<VariableKind> options={KINDS} value={kind} onChange={(k) => update({ kind: k })} />
      </InlineField>
      {kind === 'eventTypes' && (
        <InlineField label={s.category.label} labelWidth={LABEL_WIDTH} tooltip={s.category.tooltip}>
          <Combobox
            id={s.category.id}
            width={40}
            options={categories}
            loading={loading}
            value={query.category || null}
            placeholder={s.category.placeholder}
            onChange={(o) => update({ category: o?.value })}
            isClearable
          />
        </InlineField>
      )}
      {kind === 'values' && (
        <>
          <InlineFieldRow>
            <FieldSelect
              selector={{ ...s.field, placeholder: 'ip' }}
              value={query.field}
              onChange={(field) => update({ field })}
              paths={paths}
              labelWidth={LABEL_WIDTH}
            />
            <LimitField type="values" value={query.limit} onChange={(limit) => update({ limit })} onBlur={noop} />
          </InlineFieldRow>
          <QueryField
            datasource={datasource}
            value={query.query ?? ''}
            onChange={(text) => update({ query: text })}
            onCommit={noop}
            onRunQuery={noop}
            labelWidth={LABEL_WIDTH}
            validationOptions={{
              queryType: 'values',
              groupBy: query.field,
              from: range?.from.valueOf(),
              to: range?.to.valueOf(),
            }}
          />
          <Text variant="bodySmall" color="secondary">
            {s.cost}
          </Text>
        </>
      )}
    </Stack>
  );
}
