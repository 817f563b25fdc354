import React, { useMemo, useRef } from 'react';

import { FieldValidationMessage, InlineField, Stack, Text } from '@grafana/ui';

import type { DataSource } from '../../datasource';
import { QueryValidationOptions } from '../../resources';
import { QueryEditorSelectors } from '../../selectors';
import { useCatalog, useSearchFields } from '../useLoaded';
import { characterNumber, errorRange } from './errorRange';
import { MonacoQueryInput, QueryMarker } from './MonacoQueryInput';
import { QueryPlanLine } from './QueryPlanLine';
import { useQueryValidation } from './useQueryValidation';

const s = QueryEditorSelectors.query;

interface Props {
  datasource: DataSource;
  value: string;
  onChange: (value: string) => void;
  /** Called when the field loses focus after its text changed, e.g. to run the query. */
  onCommit: () => void;
  onRunQuery: () => void;
  labelWidth: number;
  /**
   * The error the last run of this query ended with, which Grafana already shows under the
   * editor; the validator's message is then left out so a mistake is shown once.
   */
  runError?: string;
  /**
   * The rest of the query and the panel's range, sent with the text to the validator so it can say
   * what Auth0 searches, what the plugin filters and what that costs.
   */
  validationOptions?: QueryValidationOptions;
}

/**
 * The Auth0 query: a code field with completion, plus the backend validator's verdict (message,
 * hint, and a marker at the offending text) shown while typing, before anything runs. A valid query
 * the plugin partly filters itself gets one line saying what Auth0 searches, what the plugin
 * filters and what it costs; any other valid query gets nothing.
 */
export function QueryField({
  datasource,
  value,
  onChange,
  onCommit,
  onRunQuery,
  labelWidth,
  runError,
  validationOptions,
}: Props) {
  const { catalog } = useCatalog(datasource);
  const fields = useSearchFields(datasource).value;
  const validation = useQueryValidation(datasource, value, validationOptions);
  const error = validation.error;
  const committed = useRef(value);

  // Read on every render: dashboard variables can be added while the editor is open.
  const completionData = { catalog, fields, variables: datasource.getVariableNames() };
  // A negative position means the validator could not locate the problem: message only.
  const range = useMemo(() => (error && error.position >= 0 ? errorRange(value, error) : undefined), [error, value]);
  const marker = useMemo<QueryMarker | undefined>(
    () =>
      error && range
        ? { ...range, message: error.hint ? `${error.message}\n${error.hint}` : error.message }
        : undefined,
    [error, range]
  );

  // The backend's run error and the validator's come from the same parser, so the same message
  // means the same mistake; the marker stays to show where it is.
  const shownByGrafana = Boolean(error && runError?.includes(error.message));

  return (
    <Stack direction="column" gap={0}>
      <InlineField label={s.label} labelWidth={labelWidth} tooltip={s.tooltip} grow>
        <div data-testid={s.testId} style={{ display: 'flex', flexGrow: 1 }}>
          <MonacoQueryInput
            value={value}
            onChange={onChange}
            onBlur={(v) => {
              if (v !== value) {
                onChange(v);
              }
              if (v !== committed.current) {
                committed.current = v;
                onCommit();
              }
            }}
            onRunQuery={onRunQuery}
            completionData={completionData}
            marker={marker}
            ariaLabel={s.label}
            placeholder={s.placeholder}
          />
        </div>
      </InlineField>
      {error && !shownByGrafana && (
        <div data-testid={s.errorTestId} role="alert">
          <FieldValidationMessage>
            <Stack direction="column" gap={0}>
              <span>
                {error.message}
                {range && ` (at character ${characterNumber(value, range.start)})`}
              </span>
              {error.hint && <Text variant="bodySmall">{error.hint}</Text>}
            </Stack>
          </FieldValidationMessage>
        </div>
      )}
      {validation.plan && <QueryPlanLine plan={validation.plan} />}
    </Stack>
  );
}
