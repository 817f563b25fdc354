/**
 * Resolve packages through their "node" export: the yaml package's browser build is ES modules,
 * which jest does not transform.
 * @jest-environment-options {"customExportConditions": ["node", "node-addons"]}
 */
import * as fs from 'fs';
import * as path from 'path';
import { parse as parseYaml } from 'yaml';

import { GROUP_FIELDS, QUERY_TYPES } from '../types';

// These tests guard the bundled dashboards, provisioning and alert rules against drifting from the
// query model (pkg/models/query.go) and from the Auth0 guides they were built from.

const PLUGIN_TYPE = 'seed-auth0logs-datasource';
const DS_REF = { type: PLUGIN_TYPE, uid: '${datasource}' };
const ROOT = path.resolve(__dirname, '..', '..');
const DASHBOARD_DIR = __dirname;

const CATEGORIES = [
  'login_success',
  'login_failure',
  'signup',
  'token_exchange_success',
  'token_exchange_failure',
  'silent_auth',
  'anomaly_detection',
  'mfa',
  'passwordless',
  'device_authorization',
  'password_email_change',
  'notifications',
  'user_management',
  'logout',
  'extensibility',
  'management_api',
  'rate_limits',
  'system',
  'other',
];
const TARGET_KEYS = [
  'refId',
  'datasource',
  'queryType',
  'query',
  'eventTypes',
  'categories',
  'groupBy',
  'distinctField',
  'baseline',
  'interval',
  'limit',
  'legendFormat',
  'keepAllGroups',
  'minCount',
  'hide',
];
const PANEL_TYPES = ['timeseries', 'barchart', 'stat', 'table', 'logs', 'geomap', 'piechart', 'text', 'bargauge'];
const MAX_QUERY_LENGTH = 4096;
// The seed's daily failure histogram ("ip" in its table is a field, not an event code).
const FAILURE_TREND_CODES = ['f', 'fcoa', 'feccft', 'fepft', 'fsa', 'fu', 'sepft'];

interface Target {
  [key: string]: unknown;
  refId: string;
  datasource?: { type?: string; uid?: string };
  queryType?: string;
}

interface Panel {
  id: number;
  interval?: string;
  type: string;
  title: string;
  description?: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { x: number; y: number; w: number; h: number };
  targets?: Target[];
  fieldConfig?: { overrides?: Array<{ properties: Array<{ id: string; value: unknown }> }> };
}

interface Variable {
  name: string;
  type: string;
  query?: unknown;
  datasource?: { type?: string; uid?: string };
}

interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: Variable[] };
  time: { from: string; to: string };
}

const files = fs
  .readdirSync(DASHBOARD_DIR)
  .filter((f) => f.endsWith('.json'))
  .sort();
const load = (file: string): Dashboard => JSON.parse(fs.readFileSync(path.join(DASHBOARD_DIR, file), 'utf8'));
const dashboards = files.map((file) => ({ file, dash: load(file) }));
const byUid = (uid: string) => dashboards.find((d) => d.dash.uid === uid)?.dash;
const allTargets = (dash: Dashboard) =>
  dash.panels.flatMap((p) => (p.targets ?? []).map((t) => ({ panel: p, target: t })));

// A field path the backend groups and counts by besides GROUP_FIELDS (event.IsPath in pkg/event/path.go):
// a value inside details, security_context, location_info or auth0_client, a top-level field Auth0
// does not index, or a derived value.
const isFieldPath = (name: string): boolean =>
  ['audience', 'scope', 'isMobile', 'organization_name', 'user_name.domain', 'user_agent.family'].includes(name) ||
  /^(details|security_context|location_info|auth0_client)(\.[^.]+)+$/.test(name);
const groupable = (name: unknown): boolean =>
  typeof name === 'string' && ((GROUP_FIELDS as readonly string[]).includes(name) || isFieldPath(name));

// Returns what is wrong with one query against the backend's query model; empty means valid.
function queryProblems(q: Target): string[] {
  const problems: string[] = [];
  const unknown = Object.keys(q).filter((k) => !TARGET_KEYS.includes(k));
  if (unknown.length) {
    problems.push(`unknown keys ${unknown.join(', ')}`);
  }
  if (!(QUERY_TYPES as string[]).includes(q.queryType ?? '')) {
    problems.push(`queryType ${q.queryType} is not one of ${QUERY_TYPES.join(', ')}`);
  }
  for (const key of ['eventTypes', 'categories']) {
    const list = q[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v.trim() === ''))
    ) {
      problems.push(`${key} must be a non-empty list of non-empty strings`);
    }
  }
  ((q.categories as string[] | undefined) ?? [])
    .filter((c) => !CATEGORIES.includes(c))
    .forEach((c) => problems.push(`unknown category ${c}`));
  if (q.groupBy !== undefined && !groupable(q.groupBy)) {
    problems.push(`groupBy ${q.groupBy} is not allowed`);
  }
  if (q.distinctField !== undefined && (q.queryType !== 'distinct' || !groupable(q.distinctField))) {
    problems.push(`distinctField ${q.distinctField} is not valid here`);
  }
  if ((q.queryType === 'top' || q.queryType === 'values') && q.groupBy === undefined) {
    problems.push(`${q.queryType} needs an explicit groupBy`);
  }
  if (q.queryType === 'distinct' && q.distinctField === undefined) {
    problems.push('distinct needs an explicit distinctField');
  }
  if (q.groupBy !== undefined && ['logs', 'table'].includes(q.queryType ?? '')) {
    problems.push(`groupBy means nothing to ${q.queryType}`);
  }
  if (q.interval !== undefined && !/^[1-9]\d*(s|m|h|d|w)$/.test(q.interval as string)) {
    problems.push(`interval ${q.interval} is not a number and a unit`);
  }
  if (q.interval !== undefined && !['count', 'distinct'].includes(q.queryType ?? '')) {
    problems.push(`interval means nothing to ${q.queryType}`);
  }
  if (q.limit !== undefined && (!Number.isInteger(q.limit) || (q.limit as number) < 1 || (q.limit as number) > 1000)) {
    problems.push(`limit ${q.limit} is out of 1..1000`);
  }
  if (q.query !== undefined && (typeof q.query !== 'string' || q.query.length > MAX_QUERY_LENGTH)) {
    problems.push('query must be a string of at most 4096 characters');
  }
  for (const key of ['query', 'legendFormat']) {
    if (q[key] !== undefined && typeof q[key] !== 'string') {
      problems.push(`${key} must be a string`);
    }
  }
  return problems;
}

describe('queryProblems', () => {
  it('accepts a valid query and names what is wrong with a bad one', () => {
    expect(
      queryProblems({ refId: 'A', queryType: 'count', eventTypes: ['fu'], groupBy: 'type', interval: '1d' })
    ).toEqual([]);
    const bad = queryProblems({
      refId: 'A',
      queryType: 'top',
      groupBy: 'email',
      eventTypes: [''],
      interval: 'daily',
      limit: 5000,
      colour: 1,
    });
    expect(bad).toEqual(
      expect.arrayContaining([
        'unknown keys colour',
        'eventTypes must be a non-empty list of non-empty strings',
        'groupBy email is not allowed',
        'interval daily is not a number and a unit',
        'interval means nothing to top',
        'limit 5000 is out of 1..1000',
      ])
    );
    expect(queryProblems({ refId: 'A', queryType: 'graph' })).toEqual([
      'queryType graph is not one of logs, table, count, distinct, top, values, ingestion',
    ]);
  });
});

describe('bundled dashboards', () => {
  it('are the three expected files, with unique uids', () => {
    expect(files).toEqual(['anomaly-detection.json', 'incident-response.json', 'tenant-overview.json']);
    const uids = dashboards.map((d) => d.dash.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toEqual(['auth0-anomaly-detection', 'auth0-incident-response', 'auth0-tenant-overview']);
  });

  describe.each(dashboards)('$file', ({ dash }) => {
    it('has a title, a recent schema and a datasource variable for the plugin', () => {
      expect(dash.title).toMatch(/^Auth0 — /);
      expect(dash.schemaVersion).toBeGreaterThanOrEqual(39);
      const dsVar = dash.templating.list.find((v) => v.name === 'datasource');
      expect(dsVar).toMatchObject({ type: 'datasource', query: PLUGIN_TYPE });
    });

    it('has unique panel ids and known panel types that fit the grid', () => {
      const ids = dash.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of dash.panels) {
        expect(Number.isInteger(p.id) && p.id > 0).toBe(true);
        expect(PANEL_TYPES).toContain(p.type);
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
      }
    });

    it('describes every data panel and points it at the dashboard datasource', () => {
      for (const p of dash.panels.filter((panel) => panel.type !== 'text')) {
        expect(`${p.title}: ${p.description ?? ''}`.length).toBeGreaterThan(p.title.length + 40);
        expect(p.datasource).toEqual(DS_REF);
        expect(p.targets?.length).toBeGreaterThan(0);
        const refIds = (p.targets ?? []).map((t) => t.refId);
        expect(new Set(refIds).size).toBe(refIds.length);
      }
    });

    it('only sends queries the backend accepts, through the datasource variable', () => {
      for (const { panel, target } of allTargets(dash)) {
        expect({ panel: panel.title, datasource: target.datasource }).toEqual({
          panel: panel.title,
          datasource: DS_REF,
        });
        expect({ panel: panel.title, problems: queryProblems(target) }).toEqual({ panel: panel.title, problems: [] });
      }
    });

    it('only uses template variables it defines', () => {
      const defined = new Set(dash.templating.list.map((v) => v.name));
      for (const { panel, target } of allTargets(dash)) {
        const used = [...String(target.query ?? '').matchAll(/\$\{?(\w+)/g)].map((m) => m[1]);
        used.forEach((name) =>
          expect({ panel: panel.title, variable: name, defined: defined.has(name) }).toMatchObject({ defined: true })
        );
      }
    });

    it('links only to bundled dashboards', () => {
      const links = dash.panels
        .flatMap((p) => (p.fieldConfig?.overrides ?? []).flatMap((o) => o.properties))
        .filter((prop) => prop.id === 'links')
        .flatMap((prop) => prop.value as Array<{ url: string }>);
      for (const link of links) {
        const uid = link.url.match(/^\/d\/([\w-]+)\//)?.[1] ?? '';
        expect(byUid(uid)).toBeDefined();
      }
    });
  });

  it("charts the seed's traffic failure trends: a daily count of exactly its failure codes, by type", () => {
    const panel = byUid('auth0-anomaly-detection')!.panels.find((p) => p.title === 'Traffic failure trends')!;
    expect(panel.targets).toHaveLength(1);
    const q = panel.targets![0];
    expect([...(q.eventTypes as string[])].sort()).toEqual([...FAILURE_TREND_CODES].sort());
    expect(q).toMatchObject({ queryType: 'count', groupBy: 'type', interval: '1d' });
    expect(panel.type).toBe('timeseries');
  });

  it('covers the anomaly-detection seed: login-flow errors, anomaly events, error IPs and their location', () => {
    const dash = byUid('auth0-anomaly-detection')!;
    expect(dash.time.from).toBe('now-7d');
    const find = (title: string) => dash.panels.find((p) => p.title === title)!.targets![0];
    expect(find('Rate of errors in login flow')).toMatchObject({
      queryType: 'count',
      groupBy: 'type',
      eventTypes: ['s', 'fu', 'fp'],
    });
    // Hourly as the seed asks, as a panel minimum so a long range still gets few enough buckets.
    expect(dash.panels.find((p) => p.title === 'Rate of errors in login flow')).toMatchObject({ interval: '1h' });
    expect(find('Rate of anomaly detection events')).toMatchObject({
      queryType: 'count',
      eventTypes: ['limit_mu', 'limit_wc', 'pwd_leak'],
    });
    expect(find('Number of IPs producing errors')).toMatchObject({
      queryType: 'distinct',
      distinctField: 'ip',
      eventTypes: ['fu'],
      interval: '1d',
    });
    const map = dash.panels.find((p) => p.type === 'geomap') as Panel & {
      options: { layers: Array<{ location: object }> };
    };
    expect(map.targets![0]).toMatchObject({ queryType: 'top', groupBy: 'ip', eventTypes: ['fu'], limit: 500 });
    expect(map.options.layers[0].location).toEqual({ mode: 'coords', latitude: 'latitude', longitude: 'longitude' });
  });

  it('covers the incident-response seed queries', () => {
    const dash = byUid('auth0-incident-response')!;
    const targets = allTargets(dash).map(({ target }) => target);
    const queries = targets.map((t) => t.query);
    expect(queries).toEqual(
      expect.arrayContaining([
        'type:"s" AND ip:"$ip"',
        'user_id:"$user_id"',
        'type:"sapi"',
        expect.stringContaining('description:"missing username parameter"'),
        expect.stringContaining('description:"Wrong email or password"'),
      ])
    );
    const codes = targets.flatMap((t) => (t.eventTypes as string[] | undefined) ?? []);
    expect(codes).toEqual(expect.arrayContaining(['fu', 'limit_wc', 'pwd_leak']));
    expect(targets).toContainEqual(
      expect.objectContaining({ queryType: 'top', groupBy: 'client_name', query: 'user_id:"$user_id"' })
    );
    expect(dash.panels.some((p) => p.type === 'logs')).toBe(true);
    const vars = Object.fromEntries(dash.templating.list.map((v) => [v.name, v]));
    expect(vars.user_id.type).toBe('textbox');
    // The ip list is a "values" query in the variable editor's shape (src/types.ts Auth0VariableQuery).
    expect(vars.ip).toMatchObject({ type: 'query', datasource: DS_REF, query: { kind: 'values', field: 'ip' } });
    const { kind, field, ...rest } = vars.ip.query as Target;
    expect(kind).toBe('values');
    expect(GROUP_FIELDS).toContain(field);
    expect(queryProblems({ ...rest, queryType: 'values', groupBy: field })).toEqual([]);
  });

  it('is listed in plugin.json, and plugin.json lists nothing else', () => {
    const plugin = JSON.parse(fs.readFileSync(path.join(ROOT, 'src', 'plugin.json'), 'utf8'));
    const includes: Array<{ type: string; name: string; path: string }> = plugin.includes;
    expect(includes.map((i) => i.path).sort()).toEqual(files.map((f) => `dashboards/${f}`));
    for (const inc of includes) {
      expect(inc.type).toBe('dashboard');
      expect(inc.name).toBe(dashboards.find((d) => `dashboards/${d.file}` === inc.path)!.dash.title);
    }
  });
});

describe('provisioning', () => {
  const readYaml = (rel: string) => parseYaml(fs.readFileSync(path.join(ROOT, 'provisioning', rel), 'utf8'));
  const envRef = /^\$\{[A-Z][A-Z0-9_]*\}$/;

  it('provisions the demo data source from environment variables only', () => {
    const file = readYaml('datasources/datasources.yml');
    expect(file.apiVersion).toBe(1);
    expect(file.datasources).toHaveLength(1);
    const ds = file.datasources[0];
    expect(ds).toMatchObject({ name: 'Auth0 Logs (demo tenant)', uid: 'auth0logs-demo', type: PLUGIN_TYPE });
    // Budgets too: the plugin reads numeric strings, and "" (an unset variable) as its default.
    for (const key of ['domain', 'clientId', 'apiBaseUrl', 'requestsPerMinute', 'requestsPerQuery']) {
      expect(ds.jsonData[key]).toMatch(envRef);
    }
    expect(ds.secureJsonData).toEqual({ clientSecret: '${AUTH0_CLIENT_SECRET}' });
  });

  it('loads the bundled dashboards from the plugin directory into the Auth0 folder', () => {
    const file = readYaml('dashboards/dashboards.yml');
    expect(file.providers).toHaveLength(1);
    expect(file.providers[0]).toMatchObject({ type: 'file', folder: 'Auth0' });
    expect(file.providers[0].options.path).toMatch(/\/seed-auth0logs-datasource\/dashboards$/);
  });

  describe('alert rules', () => {
    const file = readYaml('alerting/alert-rules.yml');
    const rules: Array<Record<string, any>> = file.groups.flatMap((g: { rules: unknown[] }) => g.rules);

    it('are well-formed groups with unique rule uids', () => {
      expect(file.apiVersion).toBe(1);
      for (const g of file.groups) {
        expect(g).toMatchObject({ orgId: 1, folder: 'Auth0', interval: '1m' });
        expect(g.name).toBeTruthy();
      }
      const uids = rules.map((r) => r.uid);
      expect(new Set(uids).size).toBe(uids.length);
      expect(uids).toEqual(['auth0-credential-stuffing', 'auth0-breached-password', 'auth0-blocked-accounts-ips']);
    });

    it.each(rules.map((r) => [r.uid, r]))('%s: count -> reduce -> threshold on the demo data source', (_uid, rule) => {
      const [a, b, c] = rule.data;
      expect(rule.condition).toBe('C');
      expect(a).toMatchObject({
        refId: 'A',
        queryType: 'count',
        datasourceUid: 'auth0logs-demo',
        model: { refId: 'A', queryType: 'count' },
      });
      expect(a.relativeTimeRange.from).toBeGreaterThan(0);
      // intervalMs and maxDataPoints are Grafana's, read by the alerting engine, not by the plugin.
      const model = Object.fromEntries(
        Object.entries(a.model).filter(([k]) => !['intervalMs', 'maxDataPoints'].includes(k))
      );
      expect(queryProblems(model as Target)).toEqual([]);
      expect(b).toMatchObject({ refId: 'B', datasourceUid: '__expr__', model: { type: 'reduce', expression: 'A' } });
      expect(['sum', 'last', 'max']).toContain(b.model.reducer);
      expect(c).toMatchObject({ refId: 'C', datasourceUid: '__expr__', model: { type: 'threshold', expression: 'B' } });
      expect(c.model.conditions).toHaveLength(1);
      expect(c.model.conditions[0].evaluator.type).toBe('gt');
      expect(typeof c.model.conditions[0].evaluator.params[0]).toBe('number');
      expect(rule).toMatchObject({ noDataState: 'OK', execErrState: 'Error', labels: { team: 'security' } });
      expect(['critical', 'warning']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(rule.annotations.description).toMatch(/Auth0 — /);
      // Provisioning expands $NAME as an environment variable, which would blank $values/$labels.
      expect(JSON.stringify(rule.annotations)).not.toContain('$');
      const dash = byUid(rule.dashboardUid);
      expect(dash?.panels.some((p) => p.id === rule.panelId)).toBe(true);
    });

    it("watch the seed's attack signals", () => {
      const codes = (uid: string) => rules.find((r) => r.uid === uid)!.data[0].model.eventTypes;
      expect(codes('auth0-credential-stuffing')).toEqual(['fu']);
      expect(codes('auth0-breached-password')).toEqual(['pwd_leak']);
      expect([...codes('auth0-blocked-accounts-ips')].sort()).toEqual(['limit_mu', 'limit_wc']);
    });
  });

  describe('every provisioned rule file', () => {
    const files = fs.readdirSync(path.join(ROOT, 'provisioning', 'alerting')).filter((f) => f.endsWith('.yml'));
    const all = files.flatMap((f) =>
      readYaml(`alerting/${f}`).groups.flatMap((g: { rules: Array<Record<string, any>> }) => g.rules.map((r) => [f, r]))
    );

    it('includes the detections and the store rule, with uids unique across files', () => {
      expect(files).toEqual(expect.arrayContaining(['alert-rules.yml', 'detections.yml', 'store-rules.yml']));
      const uids = all.map(([, r]) => r.uid);
      expect(new Set(uids).size).toBe(uids.length);
    });

    it.each(all.map(([f, r]) => [`${f}: ${r.uid}`, r]))(
      '%s queries the demo data source with valid models',
      (_name, rule) => {
        const queries = rule.data.filter((d: Record<string, any>) => d.datasourceUid !== '__expr__');
        expect(queries.length).toBeGreaterThan(0);
        for (const q of queries) {
          expect(q.datasourceUid).toBe('auth0logs-demo');
          expect(q.model.queryType).toBe(q.queryType);
          const model = Object.fromEntries(
            Object.entries(q.model).filter(([k]) => !['intervalMs', 'maxDataPoints'].includes(k))
          );
          expect(queryProblems(model as Target)).toEqual([]);
        }
        expect(JSON.stringify(rule.annotations)).not.toContain('$');
      }
    );
  });
});
