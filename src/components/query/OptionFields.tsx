import React, { useMemo } from 'react';

import { Combobox, ComboboxOption, InlineField, InlineSwitch, Input } from '@grafana/ui';

import { FieldPath } from '../../resources';
import { QueryEditorSelectors } from '../../selectors';
import { Auth0Query, GROUP_FIELDS, GroupField, NamedGroupField, QueryType } from '../../types';
import { defaultLimit, parseNumberInput, validateInterval, validateLimit } from '../../validation';

const s = QueryEditorSelectors;

const FIELD_LABELS: Record<NamedGroupField, string> = {
  type: 'Event type (type)',
  category: 'Category',
  ip: 'IP address (ip)',
  user_name: 'User name (user_name)',
  user_id: 'User ID (user_id)',
  client_name: 'Application (client_name)',
  client_id: 'Application ID (client_id)',
  connection: 'Connection (connection)',
  strategy: 'Strategy (strategy)',
  country: 'Country (location_info)',
};

/** The group-by fields as options, readable names first. */
export const GROUP_FIELD_OPTIONS: Array<ComboboxOption<string>> = GROUP_FIELDS.map((f) => ({
  value: f,
  label: FIELD_LABELS[f],
}));

/** The named group fields, then the field paths the plugin reads itself (told apart by their description). */
export function fieldOptions(paths: FieldPath[] | undefined): Array<ComboboxOption<string>> {
  const named = new Set<string>(GROUP_FIELDS);
  const pathOptions = (paths ?? [])
    .filter((p) => !named.has(p.path))
    .map((p) => ({
      value: p.path,
      label: p.path,
      description: p.doc ? `${s.fieldPath.description}: ${p.doc}` : s.fieldPath.description,
    }));
  return [...GROUP_FIELD_OPTIONS, ...pathOptions];
}

interface FieldSelectProps {
  selector: { label: string; tooltip: string; placeholder: string; id: string };
  value: string | undefined;
  /** undefined clears the field (group by: none; others: the backend default). */
  onChange: (value: GroupField | undefined) => void;
  /** The field paths to suggest after the named fields; any other path can be typed. */
  paths?: FieldPath[];
  labelWidth?: number;
}

/**
 * One of the group fields or a field path such as details.request.path; any path, or a variable
 * such as $field, can be typed as a custom value.
 */
export function FieldSelect({ selector, value, onChange, paths, labelWidth }: FieldSelectProps) {
  const options = useMemo(() => fieldOptions(paths), [paths]);
  return (
    <InlineField label={selector.label} labelWidth={labelWidth} tooltip={selector.tooltip}>
      <Combobox
        id={selector.id}
        width={30}
        options={options}
        value={value || null}
        placeholder={selector.placeholder}
        onChange={(o) => onChange(o?.value.trim() || undefined)}
        createCustomValue
        isClearable
      />
    </InlineField>
  );
}

interface TextProps {
  value: string | undefined;
  onChange: (value: string | undefined) => void;
  onBlur: () => void;
  labelWidth?: number;
}

/** Bucket width, checked as the backend's ParseInterval would. */
export function IntervalField({ value, onChange, onBlur }: TextProps) {
  const error = validateInterval(value);
  return (
    <InlineField label={s.interval.label} tooltip={s.interval.tooltip} invalid={!!error} error={error}>
      <Input
        id={s.interval.id}
        width={12}
        value={value ?? ''}
        placeholder={s.interval.placeholder}
        onChange={(e) => onChange(e.currentTarget.value || undefined)}
        onBlur={onBlur}
      />
    </InlineField>
  );
}

/** Series-name template. */
export function LegendField({ value, onChange, onBlur }: TextProps) {
  return (
    <InlineField label={s.legendFormat.label} tooltip={s.legendFormat.tooltip} grow>
      <Input
        id={s.legendFormat.id}
        value={value ?? ''}
        placeholder={s.legendFormat.placeholder}
        onChange={(e) => onChange(e.currentTarget.value || undefined)}
        onBlur={onBlur}
      />
    </InlineField>
  );
}

interface LimitProps {
  type: QueryType;
  value: number | undefined;
  onChange: (value: number | undefined) => void;
  onBlur: () => void;
  labelWidth?: number;
}

/** Number of events or values; the placeholder shows the backend's default for the type. */
export function LimitField({ type, value, onChange, onBlur, labelWidth }: LimitProps) {
  const error = validateLimit(type, value);
  return (
    <InlineField
      label={s.limit.label}
      labelWidth={labelWidth}
      tooltip={s.limit.tooltip}
      invalid={!!error}
      error={error}
    >
      <Input
        id={s.limit.id}
        type="number"
        min={1}
        width={12}
        value={value ?? ''}
        placeholder={String(defaultLimit(type) ?? '')}
        onChange={(e) => onChange(parseNumberInput(e.currentTarget.value))}
        onBlur={onBlur}
      />
    </InlineField>
  );
}

interface KeepAllGroupsProps {
  value: boolean | undefined;
  /** false clears the option, so a saved query stays as it was before the option existed. */
  onChange: (value: boolean | undefined) => void;
}

/** Keep every group: no fold into "(other)". */
export function KeepAllGroupsField({ value, onChange }: KeepAllGroupsProps) {
  return (
    <InlineField label={s.keepAllGroups.label} tooltip={s.keepAllGroups.tooltip}>
      <InlineSwitch
        id={s.keepAllGroups.id}
        value={!!value}
        onChange={(e) => onChange(e.currentTarget.checked || undefined)}
      />
    </InlineField>
  );
}

interface MinCountProps {
  value: number | undefined;
  /** Whether the query is grouped: minCount means nothing, and the backend refuses it, without a group. */
  grouped: boolean;
  onChange: (value: number | undefined) => void;
  onBlur: () => void;
}

/** The error the backend would give for this minCount, or undefined. */
export function validateMinCount(value: number | undefined, grouped: boolean): string | undefined {
  if (value === undefined || value === 0) {
    return undefined;
  }
  if (!Number.isInteger(value) || value < 0) {
    return 'Use a whole number of 0 or more.';
  }
  if (!grouped) {
    return 'Min count keeps groups: set Group by, or clear it.';
  }
  return undefined;
}

/** Minimum total a group needs over the range to be kept. */
export function MinCountField({ value, grouped, onChange, onBlur }: MinCountProps) {
  const error = validateMinCount(value, grouped);
  return (
    <InlineField label={s.minCount.label} tooltip={s.minCount.tooltip} invalid={!!error} error={error}>
      <Input
        id={s.minCount.id}
        type="number"
        min={0}
        width={10}
        value={value ?? ''}
        placeholder={s.minCount.placeholder}
        onChange={(e) => onChange(parseNumberInput(e.currentTarget.value))}
        onBlur={onBlur}
      />
    </InlineField>
  );
}

/** A baseline option as the query stores it; undefined is off. */
type Baseline = Auth0Query['baseline'];

/** Off, band, score only; '' stands for off in the select and is never stored. */
const BASELINE_OPTIONS: Array<ComboboxOption<'' | NonNullable<Baseline>>> = (['', 'band', 'score'] as const).map(
  (value) => ({
    value,
    label: s.baseline.options[value || 'off'].label,
    description: s.baseline.options[value || 'off'].description,
  })
);

interface BaselineProps {
  value: Baseline;
  /** Whether the query is grouped: the backend refuses a baseline on a grouped count. */
  grouped: boolean;
  /** undefined (Off) clears the option, so a saved query stays as it was before the option existed. */
  onChange: (value: Baseline) => void;
}

/** The error the backend would give for this baseline, or undefined. */
export function validateBaseline(value: string | undefined, grouped: boolean): string | undefined {
  if (!value) {
    return undefined;
  }
  if (value !== 'band' && value !== 'score') {
    return 'Choose Band or Score only, or Off.';
  }
  if (grouped) {
    return 'Baseline needs one series: clear Group by.';
  }
  return undefined;
}

/** Expected value, band and anomaly score of an ungrouped count. */
export function BaselineField({ value, grouped, onChange }: BaselineProps) {
  const error = validateBaseline(value, grouped);
  return (
    <InlineField label={s.baseline.label} tooltip={s.baseline.tooltip} invalid={!!error} error={error}>
      <Combobox
        id={s.baseline.id}
        width={16}
        options={BASELINE_OPTIONS}
        value={value ?? ''}
        onChange={(o) => onChange(o?.value || undefined)}
      />
    </InlineField>
  );
}
