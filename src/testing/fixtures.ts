import { DataSourceInstanceSettings, PluginType } from '@grafana/data';

import { DataSource } from '../datasource';
import { EventTypeCatalog, SearchFields } from '../resources';
import { Auth0Options } from '../types';
import { fakeTemplateSrv, FakeVariable } from './fakeTemplateSrv';

/** A small catalog with the shapes the backend serves. */
export const CATALOG: EventTypeCatalog = {
  types: [
    {
      code: 's',
      name: 'Success Login',
      description: '',
      category: 'login_success',
      outcome: 'success',
      legacy: false,
      source: 'x',
    },
    {
      code: 'f',
      name: 'Failed Login',
      description: '',
      category: 'login_failure',
      outcome: 'failure',
      legacy: false,
      source: 'x',
    },
    {
      code: 'fp',
      name: 'Incorrect Password',
      description: '',
      category: 'login_failure',
      outcome: 'failure',
      legacy: false,
      source: 'x',
    },
    {
      code: 'fu',
      name: 'Invalid Email/Username',
      description: '',
      category: 'login_failure',
      outcome: 'failure',
      legacy: false,
      source: 'x',
    },
    {
      code: 'limit_wc',
      name: 'Blocked Account',
      description: '',
      category: 'anomaly_detection',
      outcome: 'failure',
      legacy: false,
      source: 'x',
    },
    {
      code: 'sapi',
      name: 'Success API Operation',
      description: '',
      category: 'management_api',
      outcome: 'success',
      legacy: false,
      source: 'x',
    },
  ],
  categories: [
    { id: 'login_success', name: 'Successful logins', description: '' },
    { id: 'login_failure', name: 'Failed logins', description: '' },
    { id: 'anomaly_detection', name: 'Attack protection', description: '' },
    { id: 'management_api', name: 'Management API and configuration', description: '' },
  ],
  presets: [
    {
      id: 'login-flow',
      name: 'Rate of errors in login flow',
      description: 'Logins and failures.',
      codes: ['s', 'fu', 'fp'],
      source: 'x',
    },
    {
      id: 'anomaly-detection',
      name: 'Rate of anomaly detection events',
      description: 'Blocks.',
      codes: ['limit_wc'],
      source: 'x',
    },
  ],
};

export const FIELDS: SearchFields = {
  searchable: ['client_name', 'ip', 'type', 'user_name'],
  defaultFields: ['ip', 'type', 'user_name'],
  groupBy: ['type', 'ip'],
  paths: [
    { path: 'details.request.path', doc: 'the Management API path called (sapi, mgmt_api_read)', kind: 'string' },
    { path: 'details.response.statusCode', doc: 'the HTTP status answered', kind: 'number' },
    { path: 'security_context.ja4', doc: 'the JA4 fingerprint of the TLS client', kind: 'string' },
  ],
};

const settings: DataSourceInstanceSettings<Auth0Options> = {
  uid: 'auth0',
  type: 'seed-auth0logs-datasource',
  name: 'Auth0 Logs',
  access: 'proxy',
  readOnly: false,
  jsonData: { domain: 'acme.eu.auth0.com', clientId: 'abc' },
  meta: {
    id: 'seed-auth0logs-datasource',
    name: 'Auth0 Logs',
    type: PluginType.datasource,
    module: '',
    baseUrl: '',
    info: {
      author: { name: 'Seed' },
      description: '',
      links: [],
      logos: { small: '', large: '' },
      screenshots: [],
      updated: '',
      version: '',
    },
  },
};

/**
 * A DataSource whose resource calls are mocks: event-types and fields answer with the fixtures,
 * validate with whatever the test sets on postResource.
 */
export function testDataSource(vars: Record<string, FakeVariable> = {}) {
  const ds = new DataSource(settings, fakeTemplateSrv(vars));
  const getResource = jest.spyOn(ds, 'getResource').mockImplementation(async (path: string) => {
    if (path === 'event-types') {
      return CATALOG;
    }
    if (path === 'fields') {
      return FIELDS;
    }
    throw new Error(`unexpected resource ${path}`);
  });
  const postResource = jest.spyOn(ds, 'postResource').mockResolvedValue({ valid: true });
  return { ds, getResource, postResource };
}
