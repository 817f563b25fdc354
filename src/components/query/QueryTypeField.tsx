import React from 'react';

import { SelectableValue } from '@grafana/data';
import { InlineField, RadioButtonGroup } from '@grafana/ui';

import { QueryEditorSelectors } from '../../selectors';
import { QUERY_TYPES, QueryType } from '../../types';

const s = QueryEditorSelectors.queryType;

const OPTIONS: Array<SelectableValue<QueryType>> = QUERY_TYPES.map((t) => ({
  value: t,
  label: s.options[t].label,
  description: s.options[t].description,
}));

interface Props {
  value: QueryType;
  onChange: (type: QueryType) => void;
  labelWidth: number;
}

/** The query type, as Grafana's editors offer a small fixed choice: a radio button group. */
export function QueryTypeField({ value, onChange, labelWidth }: Props) {
  return (
    <InlineField label={s.label} labelWidth={labelWidth} tooltip={s.tooltip}>
      <RadioButtonGroup<QueryType> options={OPTIONS} value={value} onChange={onChange} size="md" />
    </InlineField>
  );
}
