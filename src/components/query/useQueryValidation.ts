import { useEffect, useMemo, useState } from 'react';

import type { DataSource } from '../../datasource';
import { QueryValidationError, QueryValidationOptions, QueryValidationResult } from '../../resources';
import { maskVariables, scanReferences } from '../../templating/interpolate';

/** How a valid query with conditions on field paths will run, as the validator put it. */
export interface QueryPlan {
  /** What Auth0's search (or the store's SQL) evaluates; '' is every event of the range. */
  searched: string;
  /** What the plugin evaluates on each candidate event; never empty here. */
  filtered: string;
  /** One sentence on what that costs over the range; '' when the validator said nothing. */
  cost: string;
}

/** What the validator said about the query currently in the editor. */
export interface QueryValidation {
  /** Set when the query is known to be invalid. */
  error?: QueryValidationError;
  /** The query as the backend will send it to Auth0, when valid. */
  rendered?: string;
  /** Set when the query is valid and the plugin filters part of it itself. */
  plan?: QueryPlan;
  /** The answer for the current text and options has not arrived yet. */
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
 * The placeholders maskVariables put in the query, each with the reference it stands for, so the
 * validator's renderings can show "$ip" again instead of "xx". A placeholder without an x (an open
 * range bound, or "" for a two-character reference) could be real text: it is left alone.
 */
export function variablePlaceholders(query: string): Array<[string, string]> {
  const masked = maskVariables(query);
  const pairs: Array<[string, string]> = [];
  // maskVariables keeps every reference's length, so a position in the query is one in masked.
  scanReferences(query, (out, ref) => {
    const placeholder = masked.slice(out.length, out.length + ref.text.length).trim();
    if (placeholder.includes('x')) {
      pairs.push([placeholder, ref.text]);
    }
    return out + ref.text;
  });
  // Longest first, so "xxxx" is put back before a shorter "xx" could match inside it.
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

/** text with each placeholder replaced by the reference it stands for. */
export function unmask(text: string, placeholders: Array<[string, string]>): string {
  return placeholders.reduce((t, [placeholder, reference]) => t.split(placeholder).join(reference), text);
}

/**
 * Validates the query with the backend's parser once typing pauses, so errors show before the
 * query runs and costs Auth0 requests. Variables are masked with same-length placeholders, so the
 * error offsets stay true for the text shown. options (type, event types, categories, group and
 * distinct field, the panel's range) let the validator say what Auth0 searches, what the plugin
 * filters and what that costs; a change of them asks again, after the same pause. A validator that
 * cannot be reached reports nothing: the run itself will then say what is wrong.
 */
export function useQueryValidation(
  ds: DataSource,
  query: string,
  options: QueryValidationOptions = {}
): QueryValidation {
  const [state, setState] = useState<{ key?: string; result?: QueryValidationResult }>({});
  const blank = query.trim() === '';
  // Options arrive as a new object on every render: their content decides when to ask again.
  const optionsKey = JSON.stringify(options);
  const key = JSON.stringify([query, optionsKey]);
  const placeholders = useMemo(() => variablePlaceholders(query), [query]);
  useEffect(() => {
    if (blank) {
      return;
    }
    let live = true;
    const timer = setTimeout(() => {
      ds.validateQuery(maskVariables(query), JSON.parse(optionsKey)).then(
        (result) => {
          if (live) {
            setState({ key, result });
          }
        },
        () => {
          if (live) {
            setState({ key });
          }
        }
      );
    }, VALIDATION_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [ds, query, optionsKey, key, blank]);

  if (blank) {
    return { pending: false };
  }
  if (state.key !== key) {
    return { pending: true };
  }
  const result = state.result;
  if (result && !result.valid) {
    return { pending: false, error: result.error ?? UNKNOWN_ERROR };
  }
  const plan: QueryPlan | undefined = result?.filtered
    ? {
        searched: unmask(result.searched ?? '', placeholders),
        filtered: unmask(result.filtered, placeholders),
        cost: result.cost ?? '',
      }
    : undefined;
  return { pending: false, rendered: result?.rendered, plan };
}
