import {
  parseInterval,
  validateApiBaseUrl,
  validateAudience,
  validateDomain,
  validateInterval,
  validateLimit,
  validateRequestsPerMinute,
  validateRequestsPerQuery,
} from './validation';

describe('validateDomain mirrors models.ValidateDomain', () => {
  it.each(['acme.eu.auth0.com', 'login.example-corp.com', 'localhost', '', undefined])('accepts %j', (d) => {
    expect(validateDomain(d)).toBeUndefined();
  });

  it.each([
    ['https://acme.auth0.com', 'has a scheme'],
    ['acme .auth0.com', 'contains whitespace'],
    ['user@acme.auth0.com', 'contains user info'],
    ['acme.auth0.com/', 'has a path'],
    ['acme.auth0.com?x', 'has a path'],
    ['acme.auth0.com:8443', 'has a port'],
    ['acme.auth0.com.', 'is not a valid host name'],
    [`${'a'.repeat(64)}.com`, 'is not a valid host name'],
    ['acme_1.auth0.com', 'has the character "_"'],
    [`${'a.'.repeat(127)}com`, 'characters long'],
  ])('rejects %j: %s', (d, message) => {
    expect(validateDomain(d)).toContain(message);
  });

  it('points a port at the API base URL setting', () => {
    expect(validateDomain('127.0.0.1:8787')).toContain('API base URL');
  });
});

describe('validateAudience', () => {
  it.each(['', 'https://acme.eu.auth0.com/api/v2/'])('accepts %j', (a) => {
    expect(validateAudience(a)).toBeUndefined();
  });
  it.each(['http://acme.eu.auth0.com/api/v2/', 'acme.eu.auth0.com', 'https://'])('rejects %j', (a) => {
    expect(validateAudience(a)).toContain('is not an https URL');
  });
});

describe('validateApiBaseUrl mirrors models.validateBaseURL', () => {
  it.each(['', 'http://127.0.0.1:8787', 'https://proxy.example.com', 'http://localhost:8787/'])('accepts %j', (u) => {
    expect(validateApiBaseUrl(u)).toBeUndefined();
  });
  it.each([
    ['ftp://x', 'must be an http:// or https:// URL'],
    ['127.0.0.1:8787', 'must be an http:// or https:// URL'],
    ['http://u:p@127.0.0.1', 'must not contain user info'],
    ['http://127.0.0.1:8787/api', 'must not have a path or query'],
    ['http://127.0.0.1:8787?x=1', 'must not have a path or query'],
  ])('rejects %j', (u, message) => {
    expect(validateApiBaseUrl(u)).toContain(message);
  });
});

describe('request budget', () => {
  it.each([undefined, 1, 60, 6000])('accepts %j per minute', (v) => {
    expect(validateRequestsPerMinute(v)).toBeUndefined();
  });
  it.each([0, -1, 6001, 1.5, NaN])('rejects %j per minute', (v) => {
    expect(validateRequestsPerMinute(v)).toBeDefined();
  });
  it.each([undefined, 1, 2000])('accepts %j per query', (v) => {
    expect(validateRequestsPerQuery(v)).toBeUndefined();
  });
  it.each([0, 2001])('rejects %j per query', (v) => {
    expect(validateRequestsPerQuery(v)).toBeDefined();
  });
});

describe('intervals mirror models.ParseInterval', () => {
  it.each([
    ['1s', 1000],
    ['90s', 90_000],
    ['1h30m', 5_400_000],
    ['1.5h', 5_400_000],
    ['1d', 86_400_000],
    ['2w', 1_209_600_000],
  ])('parses %j', (s, ms) => {
    expect(parseInterval(s)).toBe(ms);
  });

  it.each(['', '$__interval', '1m', '7d'])('accepts %j', (s) => {
    expect(validateInterval(s)).toBeUndefined();
  });
  it.each([
    ['1x', 'is not valid'],
    ['01d', 'is not valid'],
    ['1.5d', 'is not valid'],
    ['h', 'is not valid'],
    ['500ms', 'is too short'],
    ['0d', 'is too short'],
  ])('rejects %j', (s, message) => {
    expect(validateInterval(s)).toContain(message);
  });
});

describe('validateLimit', () => {
  it.each([
    ['logs', 1000, undefined],
    ['logs', 1001, 'use 1 to 1000'],
    ['top', 1000, undefined],
    ['values', 0, 'use 1 to 1000'],
    ['table', undefined, undefined],
  ] as const)('%s with %j', (type, value, want) => {
    const got = validateLimit(type, value);
    if (want) {
      expect(got).toContain(want);
    } else {
      expect(got).toBeUndefined();
    }
  });
});
