import React from 'react';

import type { MonacoQueryInputProps } from '../MonacoQueryInput';

/*
 * Test double for the Monaco query input: a textarea with the same props, since Monaco does not
 * load under jsdom. Enabled with jest.mock('<path>/MonacoQueryInput'). The marker is exposed as
 * data attributes so tests can check where the error points.
 */
export function MonacoQueryInput(props: MonacoQueryInputProps) {
  return (
    <textarea
      aria-label={props.ariaLabel}
      placeholder={props.placeholder}
      value={props.value}
      data-marker-start={props.marker?.start}
      data-marker-end={props.marker?.end}
      onChange={(e) => props.onChange(e.target.value)}
      onBlur={(e) => props.onBlur(e.target.value)}
    />
  );
}
