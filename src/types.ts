import { DataSourceJsonData } from '@grafana/data';
import { DataQuery } from '@grafana/schema';

/*
 * The query and settings shapes shared with the backend. They mirror pkg/models/query.go and
 * pkg/models/settings.go field for field: a saved dashboard, an alert rule and this editor must all
 * produce JSON the backend's ParseQuery and LoadSettings accept unchanged.
 */

/** What a query returns; routed on by the backend's query-type mux. */
export type QueryType = 'logs' | 'table' | 'count' | 'distinct' | 'top' | 'values' | 'ingestion';

/** Every query type, in the order the editor offers them (models.QueryTypes). */
export const QUERY_TYPES: QueryType[] = ['logs', 'table', 'count', 'distinct', 'top', 'values', 'ingestion'];

/**
 * The named fields a query may group, rank or count distinct values by (models.GroupFields).
 * "category" is the event-type family and "country" the location_info country code. Field paths
 * (details.request.path, security_context.ja4, user_name.domain, ...) are accepted too: see GroupField.
 */
export const GROUP_FIELDS = [
  'type',
  'category',
  'ip',
  'user_name',
  'user_id',
  'client_name',
  'client_id',
  'connection',
  'strategy',
  'country',
] as const;

/** One of GROUP_FIELDS. */
export type NamedGroupField = (typeof GROUP_FIELDS)[number];

/**
 * What groupBy, distinctField and a values variable's field hold: one of GROUP_FIELDS or a field path
 * the plugin reads itself (the `paths` of the fields resource), or a dashboard variable such as $field.
 * `string & {}` keeps editors completing the named fields.
 */
export type GroupField = NamedGroupField | (string & {});

/** Limits the backend enforces (the Default and Max constants of models). */
export const LIMITS = {
  defaultLogs: 100,
  maxLogs: 1000,
  defaultTop: 10,
  defaultValues: 1000,
  maxTop: 1000,
  maxQueryLength: 4096,
} as const;

/** The query model (models.Query). Empty optional fields take the backend's defaults. */
export interface Auth0Query extends DataQuery {
  queryType?: QueryType;
  /** Auth0 log search syntax; empty means every event in the time range. */
  query?: string;
  /** Event-type codes; ORed with categories, then ANDed with query. */
  eventTypes?: string[];
  /** Category ids from the event-types resource. */
  categories?: string[];
  /** Splits count and distinct series; the ranked field of top and values. '' means none. */
  groupBy?: GroupField | '';
  /** The field whose distinct values a distinct query counts. */
  distinctField?: GroupField;
  /** Bucket width such as "1h" or "1d"; empty means Grafana's interval. */
  interval?: string;
  /** Events (logs, table) or values (top, values). */
  limit?: number;
  /** Series name template such as "{{type}}". */
  legendFormat?: string;
  /** Count and distinct: one series per group, none folded into "(other)" (always on for alert rules). */
  keepAllGroups?: boolean;
  /** Grouped count and distinct: keep only groups whose total over the range is at least this; 0 keeps all. */
  minCount?: number;
  /**
   * Ungrouped count only: compare each bucket with the same time on earlier weeks or days. 'band' adds the
   * expected value, band and anomaly score; 'score' returns the score alone (alert rules). Absent is off.
   */
  baseline?: 'band' | 'score';
}

/** A panel's starting query: a per-type event count, the chart most Auth0 guides start from. */
export const DEFAULT_QUERY: Partial<Auth0Query> = {
  queryType: 'count',
  groupBy: 'type',
};

/** Explore's starting query: the newest events as log lines. */
export const DEFAULT_EXPLORE_QUERY: Partial<Auth0Query> = {
  queryType: 'logs',
};

/** Request budget defaults and bounds (models.DefaultRequestsPer*, MaxRequestsPer*). */
export const BUDGET = {
  defaultPerMinute: 60,
  defaultPerQuery: 100,
  maxPerMinute: 6000,
  maxPerQuery: 2000,
} as const;

/** Settings stored in jsonData (models.Settings without the secret). */
export interface Auth0Options extends DataSourceJsonData {
  /** The tenant's bare host name, e.g. acme.eu.auth0.com. */
  domain?: string;
  clientId?: string;
  /** Management API audience; needed with a custom domain. */
  audience?: string;
  /** Replaces https://{domain}; the only place plain http is allowed (local emulator). */
  apiBaseUrl?: string;
  requestsPerMinute?: number;
  requestsPerQuery?: number;
}

/** Settings stored encrypted; the browser can write them but never reads them back. */
export interface Auth0SecureJsonData {
  clientSecret?: string;
}

/** What a template variable lists. */
export type VariableKind = 'eventTypes' | 'categories' | 'values';

/** A template variable's query, stored in the dashboard. */
export interface Auth0VariableQuery extends DataQuery {
  kind?: VariableKind;
  /** eventTypes only: restrict to one category id. */
  category?: string;
  /** values only: the field whose values to list. */
  field?: GroupField;
  /** values only: an Auth0 query narrowing the events looked at. */
  query?: string;
  /** values only: at most this many values (the backend's default is 1,000). */
  limit?: number;
}
