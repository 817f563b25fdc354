import { CoreApp } from '@grafana/data';

import { CATALOG, testDataSource } from './testing/fixtures';
import { Auth0Query } from './types';

const vars = {
  ip: { current: ['1.1.1.1', '2.2.2.2'] },
  user: { current: 'jane "JJ" doe' },
  types: { current: ['f', 'fu'] },
  cat: { current: '$__all', options: ['login_failure', 'anomaly_detection'] },
  anyIp: { current: '$__all', options: ['1.1.1.1'], allValue: '*' },
  field: { current: 'client_name' },
  every: { current: '1h' },
};

describe('DataSource.getDefaultQuery', () => {
  it('starts Explore with log lines', () => {
    const { ds } = testDataSource();
    expect(ds.getDefaultQuery(CoreApp.Explore)).toEqual({ queryType: 'logs' });
  });

  it.each([CoreApp.Dashboard, CoreApp.PanelEditor, CoreApp.UnifiedAlerting])(
    'starts %s with a count by type',
    (app) => {
      const { ds } = testDataSource();
      expect(ds.getDefaultQuery(app)).toEqual({ queryType: 'count', groupBy: 'type' });
    }
  );
});

describe('DataSource.applyTemplateVariables', () => {
  it('interpolates every field that can hold a variable', () => {
    const { ds } = testDataSource(vars);
    const query: Auth0Query = {
      refId: 'A',
      queryType: 'count',
      query: 'ip:$ip AND user_name:${user}',
      eventTypes: ['$types', 's'],
      categories: ['$cat'],
      groupBy: '$field' as Auth0Query['groupBy'],
      interval: '$every',
      legendFormat: '{{type}} $field',
    };
    expect(ds.applyTemplateVariables(query, {})).toEqual({
      refId: 'A',
      queryType: 'count',
      query: '(ip:"1.1.1.1" OR ip:"2.2.2.2") AND user_name:"jane \\"JJ\\" doe"',
      eventTypes: ['f', 'fu', 's'],
      categories: ['login_failure', 'anomaly_detection'],
      groupBy: 'client_name',
      distinctField: undefined,
      interval: '1h',
      legendFormat: '{{type}} client_name',
    });
  });

  it('inserts a custom all value verbatim', () => {
    const { ds } = testDataSource(vars);
    expect(ds.applyTemplateVariables({ refId: 'A', query: 'ip:$anyIp' }, {}).query).toBe('ip:*');
  });

  it('uses scoped variables of repeated panels', () => {
    const { ds } = testDataSource(vars);
    const scoped = { ip: { text: '3.3.3.3', value: '3.3.3.3' } };
    expect(ds.applyTemplateVariables({ refId: 'A', query: 'ip:$ip' }, scoped).query).toBe('ip:"3.3.3.3"');
  });

  it('leaves unknown variables and built-ins to Grafana', () => {
    const { ds } = testDataSource(vars);
    expect(ds.applyTemplateVariables({ refId: 'A', query: 'ip:$nope AND x:$__from' }, {}).query).toBe(
      'ip:$nope AND x:$__from'
    );
  });

  it('keeps an empty query and unset lists as they are', () => {
    const { ds } = testDataSource(vars);
    expect(ds.applyTemplateVariables({ refId: 'A', queryType: 'logs' }, {})).toEqual({
      refId: 'A',
      queryType: 'logs',
      query: undefined,
      eventTypes: undefined,
      categories: undefined,
      groupBy: undefined,
      distinctField: undefined,
      interval: undefined,
      legendFormat: undefined,
    });
  });
});

describe('DataSource.filterQuery', () => {
  it('skips hidden queries', () => {
    const { ds } = testDataSource();
    expect(ds.filterQuery({ refId: 'A', hide: true })).toBe(false);
    expect(ds.filterQuery({ refId: 'A' })).toBe(true);
  });
});

describe('DataSource resources', () => {
  it('fetches the catalog once', async () => {
    const { ds, getResource } = testDataSource();
    await expect(ds.getCatalog()).resolves.toBe(CATALOG);
    await ds.getCatalog();
    expect(getResource).toHaveBeenCalledTimes(1);
  });

  it('fetches the catalog again after a failure', async () => {
    const { ds, getResource } = testDataSource();
    getResource.mockRejectedValueOnce(new Error('down'));
    await expect(ds.getCatalog()).rejects.toThrow('down');
    await expect(ds.getCatalog()).resolves.toBe(CATALOG);
    expect(getResource).toHaveBeenCalledTimes(2);
  });

  it('posts the query to the validator without an error toast', async () => {
    const { ds, postResource } = testDataSource();
    await ds.validateQuery('type:f');
    expect(postResource).toHaveBeenCalledWith('validate', { query: 'type:f' }, { showErrorAlert: false });
  });

  it('sends the query options and range with the validated text, variables interpolated, empty ones left out', async () => {
    const { ds, postResource } = testDataSource({
      codes: { current: ['sapi', 'mgmt_api_read'] },
      field: { current: 'details.request.path' },
    });
    await ds.validateQuery('details.response.statusCode:500', {
      queryType: 'count',
      eventTypes: ['$codes'],
      categories: [],
      groupBy: '$field',
      distinctField: undefined,
      from: 1000,
      to: 2000,
    });
    expect(postResource).toHaveBeenCalledWith(
      'validate',
      {
        query: 'details.response.statusCode:500',
        queryType: 'count',
        eventTypes: ['sapi', 'mgmt_api_read'],
        groupBy: 'details.request.path',
        from: 1000,
        to: 2000,
      },
      { showErrorAlert: false }
    );
  });
});

describe('DataSource.getQueryDisplayText', () => {
  it('summarises the query', () => {
    const { ds } = testDataSource();
    expect(
      ds.getQueryDisplayText({
        refId: 'A',
        queryType: 'count',
        groupBy: 'type',
        query: 'ip:"1.1.1.1"',
        eventTypes: ['f'],
      })
    ).toBe('Count by type: ip:"1.1.1.1" [f]');
    expect(ds.getQueryDisplayText({ refId: 'A', queryType: 'top', limit: 5 })).toBe('Top 5 ip: *');
  });
});
