import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { DataSourceSettings } from '@grafana/data';

import { ConfigEditorSelectors as s } from '../selectors';
import { Auth0Options, Auth0SecureJsonData } from '../types';
import { ConfigEditor } from './ConfigEditor';

type Settings = DataSourceSettings<Auth0Options, Auth0SecureJsonData>;

function settings(overrides: Partial<Settings> = {}): Settings {
  // database is required by the type, though deprecated.
  const legacy = { database: '' };
  return {
    ...legacy,
    id: 1,
    uid: 'auth0',
    orgId: 1,
    name: 'Auth0 Logs',
    type: 'seed-auth0logs-datasource',
    typeName: 'Auth0 Logs',
    typeLogoUrl: '',
    access: 'proxy',
    url: '',
    user: '',
    basicAuth: false,
    basicAuthUser: '',
    isDefault: false,
    readOnly: false,
    withCredentials: false,
    jsonData: { domain: 'acme.eu.auth0.com', clientId: 'abc' },
    secureJsonFields: {},
    ...overrides,
  };
}

function setup(options: Settings = settings()) {
  const onOptionsChange = jest.fn();
  const view = render(<ConfigEditor options={options} onOptionsChange={onOptionsChange} />);
  return { onOptionsChange, ...view };
}

// Field labels may carry a required marker after the text.
function labelled(label: string): RegExp {
  return new RegExp(`^${label}`);
}

function lastOptions(fn: jest.Mock): Settings {
  return fn.mock.calls[fn.mock.calls.length - 1][0];
}

describe('ConfigEditor', () => {
  it('shows the setup steps for the machine-to-machine application', () => {
    setup();
    const help = screen.getByTestId(s.setup.testId);
    expect(help.querySelectorAll('li')).toHaveLength(s.setup.steps.length);
    expect(help).toHaveTextContent('read:logs');
    expect(help).toHaveTextContent('Auth0 Management API');
  });

  it.each([
    ['domain', s.domain.label, 'other.us.auth0.com'],
    ['clientId', s.clientId.label, 'new-client'],
    ['audience', s.audience.label, 'https://acme.eu.auth0.com/api/v2/'],
  ])('writes %s to jsonData and keeps the other keys', (key, label, value) => {
    const { onOptionsChange } = setup();
    fireEvent.change(screen.getByLabelText(labelled(label)), { target: { value } });
    const next = lastOptions(onOptionsChange);
    expect(next.jsonData).toEqual({ domain: 'acme.eu.auth0.com', clientId: 'abc', [key]: value });
  });

  it('removes a text setting when it is emptied', () => {
    const { onOptionsChange } = setup(settings({ jsonData: { domain: 'a.auth0.com', audience: 'https://x/' } }));
    fireEvent.change(screen.getByLabelText(labelled(s.audience.label)), { target: { value: '' } });
    expect(lastOptions(onOptionsChange).jsonData).toEqual({ domain: 'a.auth0.com' });
  });

  it('stores the request budget as numbers, and unset when emptied', () => {
    const { onOptionsChange } = setup(settings({ jsonData: { requestsPerQuery: 50 } }));
    fireEvent.change(screen.getByLabelText(labelled(s.requestsPerMinute.label)), { target: { value: '90' } });
    expect(lastOptions(onOptionsChange).jsonData).toEqual({ requestsPerQuery: 50, requestsPerMinute: 90 });
    fireEvent.change(screen.getByLabelText(labelled(s.requestsPerQuery.label)), { target: { value: '' } });
    expect(lastOptions(onOptionsChange).jsonData).toEqual({});
  });

  it('shows the defaults as placeholders', () => {
    setup();
    expect(screen.getByLabelText(labelled(s.requestsPerMinute.label))).toHaveAttribute('placeholder', '60');
    expect(screen.getByLabelText(labelled(s.requestsPerQuery.label))).toHaveAttribute('placeholder', '100');
  });

  it.each([
    ['https://acme.eu.auth0.com', 'has a scheme'],
    ['acme.eu.auth0.com/api', 'has a path'],
    ['acme.eu.auth0.com:443', 'has a port'],
    ['acme..auth0.com', 'is not a valid host name'],
  ])('explains what is wrong with the domain %j', (domain, message) => {
    setup(settings({ jsonData: { domain } }));
    expect(screen.getByText(new RegExp(message))).toBeInTheDocument();
  });

  it('shows no domain message for a bare host name', () => {
    setup();
    expect(screen.queryByText(/Auth0 domain/)).not.toBeInTheDocument();
  });

  it('flags a request budget out of range', () => {
    setup(settings({ jsonData: { requestsPerMinute: 0, requestsPerQuery: 5000 } }));
    expect(screen.getByText(/requests per minute must be/)).toBeInTheDocument();
    expect(screen.getByText(/requests per query must be/)).toBeInTheDocument();
  });

  it('reads a provisioned budget given as strings', () => {
    const jsonData = { requestsPerMinute: '600', requestsPerQuery: '' } as unknown as Auth0Options;
    setup(settings({ jsonData }));
    expect(screen.getByLabelText(labelled(s.requestsPerMinute.label))).toHaveValue(600);
    expect(screen.getByLabelText(labelled(s.requestsPerQuery.label))).toHaveValue(null);
    expect(screen.queryByText(/must be a whole number/)).not.toBeInTheDocument();
  });

  it('flags an audience that is not https', () => {
    setup(settings({ jsonData: { audience: 'http://acme.eu.auth0.com/api/v2/' } }));
    expect(screen.getByText(/is not an https URL/)).toBeInTheDocument();
  });

  describe('client secret', () => {
    it('writes a new secret without dropping other secrets', () => {
      const options = settings({ secureJsonData: { clientSecret: '', other: 'keep' } as Auth0SecureJsonData });
      const { onOptionsChange } = setup(options);
      fireEvent.change(screen.getByLabelText(labelled(s.clientSecret.label)), {
        target: { value: 's3cret' },
      });
      expect(lastOptions(onOptionsChange).secureJsonData).toEqual({ clientSecret: 's3cret', other: 'keep' });
    });

    it('shows a configured secret and resets only that secret', () => {
      const options = settings({
        secureJsonFields: { clientSecret: true, other: true },
        secureJsonData: { other: 'keep' } as Auth0SecureJsonData,
      });
      const { onOptionsChange } = setup(options);
      expect(screen.getByDisplayValue('configured')).toBeInTheDocument();
      fireEvent.click(screen.getByRole('button', { name: 'Reset' }));
      const next = lastOptions(onOptionsChange);
      expect(next.secureJsonFields).toEqual({ clientSecret: false, other: true });
      expect(next.secureJsonData).toEqual({ clientSecret: '', other: 'keep' });
      expect(next.jsonData).toEqual(options.jsonData);
    });
  });

  describe('advanced settings', () => {
    it('is folded away until opened, then edits the API base URL', () => {
      const { onOptionsChange } = setup();
      expect(screen.queryByLabelText(labelled(s.apiBaseUrl.label))).not.toBeInTheDocument();
      fireEvent.click(screen.getByText(s.advanced.title));
      const input = screen.getByLabelText(labelled(s.apiBaseUrl.label));
      expect(screen.getByText(/Plain http is allowed only here, for a local emulator/)).toBeInTheDocument();
      fireEvent.change(input, { target: { value: 'http://127.0.0.1:8787' } });
      expect(lastOptions(onOptionsChange).jsonData.apiBaseUrl).toBe('http://127.0.0.1:8787');
    });

    it('starts open when a base URL is set, and flags a URL with a path', () => {
      setup(settings({ jsonData: { domain: 'acme.eu.auth0.com', apiBaseUrl: 'http://127.0.0.1:8787/api' } }));
      expect(screen.getByLabelText(labelled(s.apiBaseUrl.label))).toHaveValue('http://127.0.0.1:8787/api');
      expect(screen.getByText(/must not have a path or query/)).toBeInTheDocument();
    });
  });
});
