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
const PANEL_TYPES = [
  'timeseries',
  'barchart',
  'stat',
  'table',
  'logs',
  'geomap',
  'piechart',
  'text',
  'bargauge',
  'row',
];
// Panels that query nothing: help text and the row headers that group a dashboard's panels.
const NO_QUERY_TYPES = ['text', 'row'];
const MAX_QUERY_LENGTH = 4096;
// The seed's daily failure histogram ("ip" in its table is a field, not an event code).
const FAILURE_TREND_CODES = ['f', 'fcoa', 'feccft', 'fepft', 'fsa', 'fu', 'sepft'];

interface Target {
  [key: string]: unknown;
  refId: string;
  datasource?: { type?: string; uid?: string };
  queryType?: string;
}

interface Link {
  title: string;
  url: string;
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
  fieldConfig?: {
    defaults?: { links?: Link[] };
    overrides?: Array<{ matcher?: { id: string; options: string }; properties: Array<{ id: string; value: unknown }> }>;
  };
  transformations?: Array<{ id: string; options: Record<string, any> }>;
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
// Every data link of a dashboard's panels, the panel's defaults' and its overrides', with the
// column an override matches by name ("" for a panel default).
const dataLinks = (dash: Dashboard) =>
  dash.panels.flatMap((p) => [
    ...(p.fieldConfig?.defaults?.links ?? []).map((link) => ({ panel: p, column: '', link })),
    ...(p.fieldConfig?.overrides ?? []).flatMap((o) =>
      o.properties
        .filter((prop) => prop.id === 'links')
        .flatMap((prop) => (prop.value as Link[]).map((link) => ({ panel: p, column: o.matcher?.options ?? '', link })))
    ),
  ]);
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
    for (const field of ['details.request.path', 'security_context.ja4', 'user_name.domain', 'user_agent.family']) {
      expect(queryProblems({ refId: 'A', queryType: 'top', groupBy: field })).toEqual([]);
    }
    expect(queryProblems({ refId: 'A', queryType: 'top', groupBy: 'details' })).toEqual([
      'groupBy details is not allowed',
    ]);
    expect(queryProblems({ refId: 'A', queryType: 'top', groupBy: 'user_name.local' })).toEqual([
      'groupBy user_name.local is not allowed',
    ]);
    expect(queryProblems({ refId: 'A', queryType: 'graph' })).toEqual([
      'queryType graph is not one of logs, table, count, distinct, top, values, ingestion',
    ]);
  });
});

describe('bundled dashboards', () => {
  it('are the four expected files, with unique uids', () => {
    expect(files).toEqual([
      'anomaly-detection.json',
      'detections.json',
      'incident-response.json',
      'tenant-overview.json',
    ]);
    const uids = dashboards.map((d) => d.dash.uid);
    expect(new Set(uids).size).toBe(uids.length);
    expect(uids).toEqual([
      'auth0-anomaly-detection',
      'auth0-detections',
      'auth0-incident-response',
      'auth0-tenant-overview',
    ]);
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
      for (const p of dash.panels.filter((panel) => !NO_QUERY_TYPES.includes(panel.type))) {
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

    it('links only to bundled dashboards, setting only variables they define', () => {
      for (const link of dataLinks(dash).map(({ link }) => link)) {
        const uid = link.url.match(/^\/d\/([\w-]+)\//)?.[1] ?? '';
        const target = byUid(uid);
        expect({ url: link.url, bundled: target !== undefined }).toEqual({ url: link.url, bundled: true });
        const defined = new Set(target!.templating.list.map((v) => v.name));
        const set = [...link.url.matchAll(/[?&]var-(\w+)=|\$\{(\w+):queryparam\}/g)].map((m) => m[1] ?? m[2]);
        set.forEach((name) =>
          expect({ url: link.url, variable: name, defined: defined.has(name) }).toMatchObject({ defined: true })
        );
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

  describe('detections', () => {
    const dash = byUid('auth0-detections')!;
    const rows = dash.panels.filter((p) => p.type === 'row').sort((a, b) => a.gridPos.y - b.gridPos.y);
    // The panels under a row header: those below it and above the next one.
    const rowPanels = (title: string) => {
      const i = rows.findIndex((r) => r.title === title);
      const top = rows[i].gridPos.y;
      const bottom = rows[i + 1]?.gridPos.y ?? Infinity;
      return dash.panels.filter((p) => p.type !== 'row' && p.gridPos.y > top && p.gridPos.y < bottom);
    };
    const rowTargets = (title: string) => rowPanels(title).flatMap((p) => p.targets ?? []);
    const codes = (title: string) =>
      new Set(rowTargets(title).flatMap((t) => (t.eventTypes as string[] | undefined) ?? []));
    const queries = (title: string) => rowTargets(title).map((t) => String(t.query ?? ''));
    const groups = (title: string) => rowTargets(title).map((t) => t.groupBy);

    it('has one row per detection family, each full width, in order', () => {
      expect(rows.map((r) => r.title)).toEqual([
        'Attack protection',
        'MFA',
        'Tokens',
        'Signup fraud',
        'Tenant administration',
      ]);
      rows.forEach((r) => expect(r.gridPos).toMatchObject({ x: 0, w: 24, h: 1 }));
    });

    it.each(['Attack protection', 'MFA', 'Tokens', 'Signup fraud', 'Tenant administration'])(
      '%s charts or ranks its signal and lists the events behind it',
      (title) => {
        const types = rowPanels(title).flatMap((p) => (p.targets ?? []).map((t) => t.queryType));
        expect(types.some((t) => ['count', 'distinct', 'top'].includes(t ?? ''))).toBe(true);
        expect(types.some((t) => ['table', 'logs'].includes(t ?? ''))).toBe(true);
      }
    );

    it('attack protection: the credential-stuffing codes by IP, and settings changed through the Management API', () => {
      expect([...codes('Attack protection')]).toEqual(
        expect.arrayContaining(['f', 'fu', 'fp', 'pwd_leak', 'limit_wc', 'limit_sul', 'limit_mu', 'fcoa'])
      );
      expect(groups('Attack protection')).toEqual(expect.arrayContaining(['ip', 'security_context.ja4']));
      expect(queries('Attack protection')).toContainEqual(
        expect.stringContaining('type:"sapi" AND details.request.path:\\/api/v2/attack-protection/*')
      );
      expect(queries('Attack protection')).toContainEqual(
        expect.stringContaining('details.request.body.enabled:false')
      );
    });

    it('MFA: pushes and SMS per user, and factor or policy changes', () => {
      const targets = rowTargets('MFA');
      for (const code of ['gd_send_pn', 'gd_send_sms']) {
        expect(targets).toContainEqual(
          expect.objectContaining({ queryType: 'top', groupBy: 'user_id', eventTypes: [code] })
        );
      }
      expect(queries('MFA')).toContainEqual(expect.stringContaining('details.request.path:\\/api/v2/guardian/*'));
      expect(queries('MFA')).toContainEqual(expect.stringContaining('type:"gd_tenant_update"'));
    });

    it('tokens: refresh token reuse per user, and distinct IPs per user of refresh exchanges', () => {
      const targets = rowTargets('Tokens');
      expect(targets).toContainEqual(
        expect.objectContaining({ queryType: 'top', groupBy: 'user_id', eventTypes: ['ferrt'] })
      );
      expect(targets).toContainEqual(
        expect.objectContaining({
          queryType: 'distinct',
          groupBy: 'user_id',
          distinctField: 'ip',
          eventTypes: ['sertft'],
        })
      );
    });

    it('signup fraud: signups per IP and by email domain', () => {
      const targets = rowTargets('Signup fraud');
      expect(targets).toContainEqual(expect.objectContaining({ queryType: 'top', groupBy: 'ip', eventTypes: ['ss'] }));
      expect(targets).toContainEqual(
        expect.objectContaining({ queryType: 'top', groupBy: 'user_name.domain', eventTypes: ['ss'] })
      );
    });

    it('tenant administration: sapi by path and by client, and client grants', () => {
      const targets = rowTargets('Tenant administration');
      expect(targets).toContainEqual(
        expect.objectContaining({ queryType: 'count', groupBy: 'details.request.path', eventTypes: ['sapi'] })
      );
      expect(targets).toContainEqual(
        expect.objectContaining({ queryType: 'top', groupBy: 'client_name', eventTypes: ['sapi'] })
      );
      expect(queries('Tenant administration')).toContainEqual(
        expect.stringContaining('details.request.path:\\/api/v2/client-grants*')
      );
    });

    it('puts a field-path condition only beside a type condition, so on demand it never reads every event', () => {
      for (const t of allTargets(dash).map(({ target }) => target)) {
        const paths = /\b(details|security_context|location_info|auth0_client)\.|user_name\.domain|user_agent\.family/;
        if (paths.test(String(t.query ?? '')) || paths.test(String(t.groupBy ?? ''))) {
          expect({
            target: t.query ?? t.groupBy,
            typed: t.eventTypes !== undefined || /^\(?type:/.test(String(t.query)),
          }).toEqual({
            target: t.query ?? t.groupBy,
            typed: true,
          });
        }
      }
    });

    // A quoted value is taken literally (pkg/logquery's lexer), so "/api/v2/guardian/*" would match
    // only a path ending in a star: wildcards on paths are written unquoted, with the leading slash
    // escaped (an unquoted value starting with / reads as a regular expression).
    it('writes its wildcards unquoted, as a quoted star is a literal star', () => {
      for (const t of allTargets(dash).map(({ target }) => target)) {
        expect({ query: t.query, quotedStar: /:"[^"]*\*[^"]*"/.test(String(t.query ?? '')) }).toMatchObject({
          quotedStar: false,
        });
      }
    });

    it('links every IP and user ID it ranks or lists to the incident-response dashboard', () => {
      const links = dataLinks(dash);
      for (const p of dash.panels.filter((panel) => panel.type === 'table')) {
        const organize = p.transformations?.find((t) => t.id === 'organize')?.options;
        const visible = Object.keys(organize?.indexByName ?? {}).filter((name) => !organize?.excludeByName?.[name]);
        for (const [column, variable] of [
          ['ip', 'ip'],
          ['user_id', 'user_id'],
        ]) {
          if (!visible.includes(column)) {
            continue;
          }
          const link = links.find((l) => l.panel === p && l.column === column)?.link;
          expect({ panel: p.title, column, url: link?.url }).toEqual({
            panel: p.title,
            column,
            url: `/d/auth0-incident-response/auth0-incident-response?\${__url_time_range}&\${datasource:queryparam}&var-${variable}=\${__value.raw}`,
          });
        }
      }
      // The per-user series of the tokens row link through their label.
      expect(links.map((l) => l.link.url)).toContainEqual(
        expect.stringContaining('var-user_id=${__field.labels.user_id}')
      );
    });
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
