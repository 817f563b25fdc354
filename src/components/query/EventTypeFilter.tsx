import React, { useMemo } from 'react';

import { Button, InlineField, MultiCombobox, Stack } from '@grafana/ui';

import { EventTypeCatalog } from '../../resources';
import { QueryEditorSelectors } from '../../selectors';
import { categoryOptions, eventTypeOptions, isPresetSelected, selectedOptions } from './eventTypeOptions';

const s = QueryEditorSelectors;

interface EventTypeProps {
  catalog: EventTypeCatalog;
  loading: boolean;
  value: string[] | undefined;
  onChange: (codes: string[]) => void;
  labelWidth: number;
}

/**
 * Event types as a searchable multi-select grouped by category, with Auth0's monitoring-guide
 * presets as one-click buttons that replace the selection. Custom values are allowed, for
 * variables ($types) and for codes newer than the catalog.
 */
export function EventTypeFilter({ catalog, loading, value, onChange, labelWidth }: EventTypeProps) {
  const options = useMemo(() => eventTypeOptions(catalog), [catalog]);
  return (
    <Stack direction="column" gap={0}>
      <InlineField label={s.eventTypes.label} labelWidth={labelWidth} tooltip={s.eventTypes.tooltip} grow>
        <MultiCombobox
          id={s.eventTypes.id}
          options={options}
          value={selectedOptions(value, options)}
          onChange={(selected) => onChange(selected.map((o) => o.value))}
          placeholder={s.eventTypes.placeholder}
          loading={loading}
          createCustomValue
          isClearable
        />
      </InlineField>
      {catalog.presets.length > 0 && (
        <InlineField label={s.presets.label} labelWidth={labelWidth} tooltip={s.presets.tooltip}>
          <Stack gap={1} wrap="wrap" data-testid={s.presets.testId}>
            {catalog.presets.map((p) => (
              <Button
                key={p.id}
                size="sm"
                variant={isPresetSelected(value, p.codes) ? 'primary' : 'secondary'}
                fill="outline"
                tooltip={`${p.description} Codes: ${p.codes.join(', ')}.`}
                onClick={() => onChange([...p.codes])}
              >
                {p.name}
              </Button>
            ))}
          </Stack>
        </InlineField>
      )}
    </Stack>
  );
}

interface CategoryProps {
  catalog: EventTypeCatalog;
  loading: boolean;
  value: string[] | undefined;
  onChange: (ids: string[]) => void;
  labelWidth: number;
}

/** Categories (families of event types) as a multi-select. */
export function CategoryFilter({ catalog, loading, value, onChange, labelWidth }: CategoryProps) {
  const options = useMemo(() => categoryOptions(catalog), [catalog]);
  return (
    <InlineField label={s.categories.label} labelWidth={labelWidth} tooltip={s.categories.tooltip} grow>
      <MultiCombobox
        id={s.categories.id}
        options={options}
        value={selectedOptions(value, options)}
        onChange={(selected) => onChange(selected.map((o) => o.value))}
        placeholder={s.categories.placeholder}
        loading={loading}
        createCustomValue
        isClearable
      />
    </InlineField>
  );
}
