import { BUDGET, LIMITS, QueryType } from './types';

/*
 * Client-side mirrors of the backend's checks (pkg/models), so a mistake shows next to its field
 * while typing instead of after "Save & test" or a failed run. Each returns the message to show, or
 * undefined when the value is acceptable. The backend stays the authority; wording follows it.
 */

const DOMAIN_EXAMPLE = 'enter the bare host name, e.g. acme.eu.auth0.com';

/** Mirrors models.ValidateDomain; an empty domain is reported by the required marker instead. */
export function validateDomain(raw: string | undefined): string | undefined {
  const d = (raw ?? '').trim();
  if (d === '') {
    return undefined;
  }
  const q = JSON.stringify(d);
  if (d.includes('://')) {
    return `Auth0 domain ${q} has a scheme: ${DOMAIN_EXAMPLE}`;
  }
  if (/\s/.test(d)) {
    return `Auth0 domain ${q} contains whitespace: ${DOMAIN_EXAMPLE}`;
  }
  if (d.includes('@')) {
    return `Auth0 domain ${q} contains user info: ${DOMAIN_EXAMPLE}`;
  }
  if (/[/?#]/.test(d)) {
    return `Auth0 domain ${q} has a path: ${DOMAIN_EXAMPLE}`;
  }
  if (d.includes(':')) {
    return `Auth0 domain ${q} has a port: ${DOMAIN_EXAMPLE} (use the API base URL setting for a local emulator)`;
  }
  if (d.length > 253) {
    return `Auth0 domain is ${d.length} characters long; a host name has at most 253`;
  }
  for (const label of d.split('.')) {
    if (label === '' || label.length > 63) {
      return `Auth0 domain ${q} is not a valid host name: ${DOMAIN_EXAMPLE}`;
    }
    const bad = /[^A-Za-z0-9-]/.exec(label);
    if (bad) {
      return `Auth0 domain ${q} has the character ${JSON.stringify(bad[0])}, not allowed in a host name: ${DOMAIN_EXAMPLE}`;
    }
  }
  return undefined;
}

function parseUrl(s: string): URL | undefined {
  try {
    return new URL(s);
  } catch {
    return undefined;
  }
}

/** Mirrors the audience check in models.Settings.Validate. */
export function validateAudience(raw: string | undefined): string | undefined {
  const a = (raw ?? '').trim();
  if (a === '') {
    return undefined;
  }
  const u = parseUrl(a);
  if (!u || u.protocol !== 'https:' || u.hostname === '') {
    return `audience ${JSON.stringify(a)} is not an https URL: use https://YOUR_TENANT.REGION.auth0.com/api/v2/ or leave it empty`;
  }
  return undefined;
}

/** Mirrors models.validateBaseURL, after the same trimming of trailing slashes LoadSettings does. */
export function validateApiBaseUrl(raw: string | undefined): string | undefined {
  const s = (raw ?? '').trim().replace(/\/+$/, '');
  if (s === '') {
    return undefined;
  }
  const u = parseUrl(s);
  if (!u || (u.protocol !== 'http:' && u.protocol !== 'https:') || u.host === '') {
    return `API base URL ${JSON.stringify(s)} must be an http:// or https:// URL such as http://127.0.0.1:8787; leave it empty to use https://<domain>`;
  }
  if (u.username !== '' || u.password !== '') {
    return 'API base URL must not contain user info: put the credentials in client ID and secret';
  }
  if (u.pathname !== '/' || u.search !== '' || u.hash !== '' || s.endsWith('?') || s.endsWith('#')) {
    return `API base URL ${JSON.stringify(s)} must not have a path or query: give only scheme, host and port`;
  }
  return undefined;
}

function outOfRange(value: number | undefined, max: number): boolean {
  return value !== undefined && (!Number.isInteger(value) || value < 1 || value > max);
}

/** Mirrors the requests-per-minute check; undefined (unset) means the default. */
export function validateRequestsPerMinute(value: number | undefined): string | undefined {
  if (outOfRange(value, BUDGET.maxPerMinute)) {
    return `requests per minute must be a whole number between 1 and ${BUDGET.maxPerMinute}; Auth0 self-service plans allow 100`;
  }
  return undefined;
}

/** Mirrors the requests-per-query check; undefined (unset) means the default. */
export function validateRequestsPerQuery(value: number | undefined): string | undefined {
  if (outOfRange(value, BUDGET.maxPerQuery)) {
    return `requests per query must be a whole number between 1 and ${BUDGET.maxPerQuery}`;
  }
  return undefined;
}

const UNITS_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Parses what models.ParseInterval accepts (Go durations plus d and w) into milliseconds. */
export function parseInterval(raw: string): number | undefined {
  const s = raw.trim();
  const dw = /^(0|[1-9]\d*)([dw])$/.exec(s);
  if (dw) {
    return Number(dw[1]) * (dw[2] === 'd' ? 86_400_000 : 604_800_000);
  }
  if (!/^(\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))*$/.test(s)) {
    return undefined;
  }
  let total = 0;
  for (const m of s.matchAll(/(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/g)) {
    total += Number(m[1]) * UNITS_MS[m[2]];
  }
  return total;
}

/** Mirrors models.ParseInterval's errors. Variables ($__interval) are left to the backend. */
export function validateInterval(raw: string | undefined): string | undefined {
  const s = (raw ?? '').trim();
  if (s === '' || s.includes('$')) {
    return undefined;
  }
  const ms = parseInterval(s);
  if (ms === undefined) {
    return `interval ${JSON.stringify(s)} is not valid: use a number and a unit, e.g. 1m, 1h, 1d`;
  }
  if (ms < 1000) {
    return `interval ${JSON.stringify(s)} is too short: use at least 1s`;
  }
  return undefined;
}

/** The limit a query type gets when none is set (models.Query.ApplyDefaults). */
export function defaultLimit(type: QueryType): number | undefined {
  switch (type) {
    case 'logs':
    case 'table':
      return LIMITS.defaultLogs;
    case 'top':
      return LIMITS.defaultTop;
    case 'values':
      return LIMITS.defaultValues;
    default:
      return undefined;
  }
}

/** Mirrors the limit range in models.Query.Validate. */
export function validateLimit(type: QueryType, value: number | undefined): string | undefined {
  const max = type === 'top' || type === 'values' ? LIMITS.maxTop : LIMITS.maxLogs;
  if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) {
    return `limit ${value} is out of range: use 1 to ${max}`;
  }
  return undefined;
}

/** Parses a number input: empty means unset (the default applies). */
export function parseNumberInput(text: string): number | undefined {
  const t = text.trim();
  return t === '' ? undefined : Number(t);
}

/**
 * Reads a stored number setting. Provisioning files expand environment variables into strings
 * ("600", or "" when unset), which the backend accepts, so a string is read like typed input.
 */
export function storedNumber(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return value;
  }
  return typeof value === 'string' ? parseNumberInput(value) : undefined;
}
