/*
 * Shapes of the backend's resource endpoints (pkg/plugin resources). Kept apart from types.ts, which
 * holds what is stored in dashboards; these are only ever fetched.
 */

/** How an event ended (eventtypes.Outcome). */
export type Outcome = 'success' | 'failure' | 'warning' | 'info';

/** One event-type code (eventtypes.EventType). */
export interface EventTypeInfo {
  code: string;
  name: string;
  description: string;
  /** Id of the category the code belongs to. */
  category: string;
  outcome: Outcome;
  /** Only Auth0's legacy overview lists it; new tenants may never emit it. */
  legacy: boolean;
  source: string;
}

/** A family of codes (eventtypes.Category). */
export interface CategoryInfo {
  id: string;
  name: string;
  description: string;
}

/** A named code list from an Auth0 monitoring guide (eventtypes.Preset). */
export interface PresetInfo {
  id: string;
  name: string;
  description: string;
  codes: string[];
  source: string;
}

/** GET event-types. */
export interface EventTypeCatalog {
  types: EventTypeInfo[];
  categories: CategoryInfo[];
  presets: PresetInfo[];
}

/** Where and why the validator rejected a query. */
export interface QueryValidationError {
  message: string;
  /** 0-based UTF-8 byte offset into the query. */
  position: number;
  /** Length in bytes of the offending text; 0 means a point (e.g. end of input). */
  length: number;
  hint: string;
}

/**
 * What POST validate is asked about besides the query text, so it can say how the query will run.
 * from and to are the panel's time range in ms since the epoch.
 */
export interface QueryValidationOptions {
  queryType?: string;
  eventTypes?: string[];
  categories?: string[];
  groupBy?: string;
  distinctField?: string;
  /** The query's own bucket width ("1h"), checked against the range as a run checks it. */
  interval?: string;
  from?: number;
  to?: number;
}

/** POST validate. */
export interface QueryValidationResult {
  valid: boolean;
  /** The query as the backend will send it to Auth0. */
  rendered?: string;
  error?: QueryValidationError;
  /** When valid: the condition Auth0's search (or the store's SQL) evaluates; "" is every event of the range. */
  searched?: string;
  /** When valid: the condition the plugin evaluates on each candidate event; "" (or absent) is none. */
  filtered?: string;
  /** When valid: one sentence on what the query costs over the range (store or on demand, Auth0 requests). */
  cost?: string;
}

/** The JSON type of a field path's values. */
export type FieldPathKind = 'string' | 'number' | 'boolean';

/** A field Auth0 does not index, which the plugin filters and groups by itself. */
export interface FieldPath {
  /** e.g. details.request.path, security_context.ja4, user_name.domain. */
  path: string;
  doc: string;
  kind: FieldPathKind;
}

/** GET fields. */
export interface SearchFields {
  /** Fields Auth0's search accepts (field:value). */
  searchable: string[];
  /** Fields a bare term is matched against. */
  defaultFields: string[];
  /** Fields a query may group by. */
  groupBy: string[];
  /** Field paths the plugin filters on itself; absent from a backend older than field paths. */
  paths?: FieldPath[];
}

/** An empty catalog, used while the real one loads or when it cannot be fetched. */
export const EMPTY_CATALOG: EventTypeCatalog = { types: [], categories: [], presets: [] };
