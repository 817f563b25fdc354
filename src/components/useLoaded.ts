import { useEffect, useState } from 'react';

import type { DataSource } from '../datasource';
import { EMPTY_CATALOG, EventTypeCatalog, SearchFields } from '../resources';

/** The state of something fetched for a source. */
export interface Loaded<T> {
  value?: T;
  error?: Error;
  loading: boolean;
}

/**
 * Loads a value for a source and reloads when the source changes. load must be stable (a module
 * function), so the effect runs once per source; a late answer for an old source is dropped.
 */
export function useLoaded<S, T>(source: S, load: (s: S) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ source?: S; value?: T; error?: Error }>({});
  useEffect(() => {
    let live = true;
    load(source).then(
      (value) => {
        if (live) {
          setState({ source, value });
        }
      },
      (error: unknown) => {
        if (live) {
          setState({ source, error: error instanceof Error ? error : new Error(String(error)) });
        }
      }
    );
    return () => {
      live = false;
    };
  }, [source, load]);
  if (state.source !== source) {
    return { loading: true };
  }
  return { loading: false, value: state.value, error: state.error };
}

const loadCatalog = (ds: DataSource) => ds.getCatalog();
const loadFields = (ds: DataSource) => ds.getSearchFields();

/** The event-type catalog, empty until it arrives (the editors work without it). */
export function useCatalog(ds: DataSource): Loaded<EventTypeCatalog> & { catalog: EventTypeCatalog } {
  const loaded = useLoaded(ds, loadCatalog);
  return { ...loaded, catalog: loaded.value ?? EMPTY_CATALOG };
}

/** The searchable field names, for completion. */
export function useSearchFields(ds: DataSource): Loaded<SearchFields> {
  return useLoaded(ds, loadFields);
}
