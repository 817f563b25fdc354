import { useEffect, useState } from 'react';

import type { DataSource } from '../../datasource';
import { QueryValidationError, QueryValidationResult } from '../../resources';
import { maskVariables } from '../../templating/interpolate';

/** What the validator said about the query currently in the editor. */
export interface QueryValidation {
  /** Set when the query is known to be invalid. */
  error?: QueryValidationError;
  /** The query as the backend will send it to Auth0, when valid. */
  rendered?: string;
  /** The answer for the current text has not arrived yet. */
  pending: boolean;
}

const UNKNOWN_ERROR: QueryValidationError = {
  message: 'The query is not valid Auth0 log search syntax.',
  position: 0,
  length: 0,
  hint: '',
};

/** How long typing must pause before the query is sent to the validator. */
export const VALIDATION_DELAY_MS = 400;

/**
 * Validates the query with the backend's parser once typing pauses, so errors show before the
 * query runs and costs Auth0 requests. Variables are masked with same-length placeholders, so the
 * error offsets stay true for the text shown. A validator that cannot be reached reports nothing:
 * the run itself will then say what is wrong.
 */
export function useQueryValidation(ds: DataSource, query: string): QueryValidation {
  const [state, setState] = useState<{ query?: string; result?: QueryValidationResult }>({});
  const blank = query.trim() === '';
  useEffect(() => {
    if (blank) {
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      ds.validateQuery(maskVariables(query)).then(
        (result) => {
          if (live) {
            setState({ query, result });
          }
        },
        () => {
          if (live) {
            setState({ query });
          }
        }
      );
    }, VALIDATION_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ds, query, blank]);

  if (blank) {
    return { pending: false };
  }
  if (state.query !== query) {
    return { pending: true };
  }
  const result = state.result;
  if (result && !result.valid) {
    return { pending: false, error: result.error ?? UNKNOWN_ERROR };
  }
  return { pending: false, rendered: result?.rendered };
}
