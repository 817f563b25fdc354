/*
 * Every label, tooltip, placeholder and test id the editors show, in one place so components, unit
 * tests and Playwright specs agree on what a user sees and what a test looks for.
 */

export const ConfigEditorSelectors = {
  setup: {
    title: 'Connect Grafana to your Auth0 tenant',
    steps: [
      'In the Auth0 Dashboard, open Applications > Applications and choose Create Application; pick Machine to Machine Applications.',
      'When asked which API the application may call, choose the Auth0 Management API (Authorize).',
      'Under Permissions grant read:logs only, then save. The plugin needs nothing else.',
      "Copy the Domain, Client ID and Client Secret from the application's Settings tab into the fields below, then Save & test.",
    ],
    testId: 'auth0-config-setup-help',
  },
  connection: { title: 'Auth0 tenant' },
  domain: {
    label: 'Domain',
    placeholder: 'acme.eu.auth0.com',
    description:
      "The tenant's domain as the application's Settings tab shows it: a bare host name, no https:// and no path.",
    id: 'auth0-config-domain',
  },
  clientId: {
    label: 'Client ID',
    placeholder: 'Client ID of the machine-to-machine application',
    id: 'auth0-config-client-id',
  },
  clientSecret: {
    label: 'Client secret',
    placeholder: 'Client secret of the machine-to-machine application',
    id: 'auth0-config-client-secret',
  },
  audience: {
    label: 'Audience',
    placeholder: 'https://acme.eu.auth0.com/api/v2/',
    description:
      'Only when Domain is a custom domain: the Management API identifier, which always names the canonical tenant domain. Leave empty otherwise.',
    id: 'auth0-config-audience',
  },
  budget: {
    title: 'Request budget',
    description:
      "Auth0's self-service plans allow 100 log reads a minute per tenant, shared with log streams, the Auth0 Dashboard and every other reader. Keep room for them.",
  },
  requestsPerMinute: {
    label: 'Requests per minute',
    description: 'Shared by every query of this data source. Default 60.',
    id: 'auth0-config-requests-per-minute',
  },
  requestsPerQuery: {
    label: 'Requests per query',
    description: 'What one query may spend; past it the query returns partial data with a warning. Default 100.',
    id: 'auth0-config-requests-per-query',
  },
  advanced: { title: 'Advanced settings' },
  apiBaseUrl: {
    label: 'API base URL',
    placeholder: 'http://127.0.0.1:8787',
    description:
      'Replaces https://<domain> for the token and the API calls. Meant for a local Auth0 emulator or a proxy; leave empty for a real tenant. Plain http is allowed only here, for a local emulator.',
    id: 'auth0-config-api-base-url',
  },
};

export const QueryEditorSelectors = {
  queryType: {
    label: 'Query type',
    tooltip: 'What the query returns: events, or counts computed from them.',
    options: {
      logs: { label: 'Logs', description: 'The newest matching events as log lines.' },
      table: { label: 'Table', description: 'The newest matching events, one column per field.' },
      count: { label: 'Count', description: 'A time series of event counts per interval, optionally per group.' },
      distinct: { label: 'Distinct', description: 'A time series of the number of distinct values of a field.' },
      top: { label: 'Top', description: 'The most frequent values of a field, with their counts.' },
      values: { label: 'Values', description: 'The distinct values of a field, for template variables.' },
      ingestion: {
        label: 'Ingestion',
        description: "The tenant log store's tail lag in seconds, for the ingestion-stalled alert rule.",
      },
    },
  },
  query: {
    label: 'Query',
    tooltip:
      'Auth0 log search syntax, e.g. type:f AND user_name:"jane@example.com". Field names are case-sensitive; ' +
      'dashboard variables are quoted and escaped, and a multi-value one after field: becomes (field:"a" OR field:"b"). ' +
      'Use ${var:raw} to insert a value unquoted. Shift+Enter runs the query.',
    placeholder: 'e.g. type:fp AND user_name:"jane@example.com" (Shift+Enter runs the query)',
    testId: 'auth0-query-field',
    errorTestId: 'auth0-query-error',
  },
  /** What the validator says about a query with conditions on field paths, before it runs. */
  plan: {
    searched: 'Auth0 searches',
    everyEvent: 'every event in the range',
    filtered: 'The plugin filters',
    testId: 'auth0-query-plan',
  },
  /** How a field path is told apart from the named fields in the field selects. */
  fieldPath: { description: 'Filtered by the plugin' },
  eventTypes: {
    label: 'Event types',
    tooltip:
      'Auth0 event-type codes; the events of any of them match. ORed with categories, then ANDed with the query.',
    placeholder: 'Any event type',
    id: 'auth0-query-event-types',
  },
  presets: {
    label: 'Presets',
    tooltip: "Code lists from Auth0's monitoring guides; a click replaces the event types.",
    testId: 'auth0-query-presets',
  },
  categories: {
    label: 'Categories',
    tooltip: 'Families of event types, e.g. every failed login.',
    placeholder: 'Any category',
    id: 'auth0-query-categories',
  },
  groupBy: {
    label: 'Group by',
    tooltip:
      'Split the result into one series per value of this field, or of a field path such as ' +
      'details.request.path, security_context.ja4 or user_name.domain (type any path); events without it form the "" group.',
    placeholder: 'No grouping',
    id: 'auth0-query-group-by',
  },
  rankBy: {
    label: 'Field',
    tooltip:
      'The field whose values are ranked or listed, or a field path such as details.request.path (type any path). Default ip.',
    placeholder: 'ip',
    id: 'auth0-query-rank-by',
  },
  distinctField: {
    label: 'Distinct field',
    tooltip:
      'Count the distinct values of this field, or of a field path such as security_context.ja4 (type any path), per interval. Default ip.',
    placeholder: 'ip',
    id: 'auth0-query-distinct-field',
  },
  interval: {
    label: 'Interval',
    tooltip: "Bucket width such as 1h or 1d; empty uses the panel's interval.",
    placeholder: 'auto',
    id: 'auth0-query-interval',
  },
  limit: {
    label: 'Limit',
    tooltip: 'The most events (logs, table) or values (top, values) to return.',
    id: 'auth0-query-limit',
  },
  legendFormat: {
    label: 'Legend',
    tooltip: 'Series name, e.g. {{type}}; {{field}} inserts the group value. Empty uses the group value.',
    placeholder: 'auto',
    id: 'auth0-query-legend',
  },
  keepAllGroups: {
    label: 'Keep every group',
    tooltip:
      'Draw one series per group instead of folding all but the largest into "(other)". Alert rules always keep every group, so they fire per IP or user.',
    id: 'auth0-query-keep-all-groups',
  },
  minCount: {
    label: 'Min count',
    tooltip:
      'Keep only the groups whose total over the time range is at least this (events for count, distinct values for distinct); the rest are dropped, not folded. Needs Group by. Empty keeps every group.',
    placeholder: 'all',
    id: 'auth0-query-min-count',
  },
  baseline: {
    label: 'Baseline',
    tooltip:
      'Compare each bucket with the same time on earlier weeks (8 at most, with the tenant log store) or earlier days: ' +
      'shows the expected value, a band of ±4 spreads around it and an anomaly score. "Score only" returns the score alone, for alert rules. ' +
      'Needs an ungrouped count; the interval is widened to the next width that divides a day.',
    options: {
      off: { label: 'Off', description: 'The count alone.' },
      band: { label: 'Band', description: 'The count with its expected value, band and anomaly score.' },
      score: { label: 'Score only', description: 'The anomaly score alone, for alert rules.' },
    },
    id: 'auth0-query-baseline',
  },
  lastRun: { testId: 'auth0-query-last-run' },
};

export const VariableEditorSelectors = {
  kind: {
    label: 'List',
    options: {
      eventTypes: { label: 'Event types', description: 'Every event-type code, named.' },
      categories: { label: 'Categories', description: 'The event-type families.' },
      values: { label: 'Field values', description: 'Values of a field seen in the dashboard time range.' },
    },
  },
  category: {
    label: 'Category',
    tooltip: 'Only list the event types of this category.',
    placeholder: 'All categories',
    id: 'auth0-variable-category',
  },
  field: {
    label: 'Field',
    tooltip: 'The field whose values to list, most frequent first.',
    id: 'auth0-variable-field',
  },
  limit: {
    label: 'Limit',
    tooltip: 'List at most this many values. Default 1000.',
    id: 'auth0-variable-limit',
  },
  cost: 'Field values are computed from the events of the dashboard time range, so refreshing the variable spends Auth0 requests.',
};

export const AnnotationEditorSelectors = {
  description:
    'Every matching event becomes an annotation: at its time, with its description as text and its event type as a tag. Narrow the query; at most Limit events are drawn.',
};
