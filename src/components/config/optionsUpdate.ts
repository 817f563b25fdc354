import { DataSourceSettings } from '@grafana/data';

import { Auth0Options, Auth0SecureJsonData } from '../../types';

type Settings = DataSourceSettings<Auth0Options, Auth0SecureJsonData>;

/** A copy of the settings with one jsonData key changed; undefined removes the key. */
export function withJsonData<K extends keyof Auth0Options>(
  options: Settings,
  key: K,
  value: Auth0Options[K]
): Settings {
  const jsonData = { ...options.jsonData, [key]: value };
  if (value === undefined) {
    delete jsonData[key];
  }
  return { ...options, jsonData };
}

/** A copy with a new client secret; every other secret is kept (the scaffold replaced them all). */
export function withClientSecret(options: Settings, clientSecret: string): Settings {
  return { ...options, secureJsonData: { ...options.secureJsonData, clientSecret } };
}

/**
 * A copy with the stored client secret marked for removal, as Grafana's reset does: the configured
 * flag is cleared and an empty value sent, while sibling secrets and flags are kept.
 */
export function withClientSecretReset(options: Settings): Settings {
  return {
    ...options,
    secureJsonFields: { ...options.secureJsonFields, clientSecret: false },
    secureJsonData: { ...options.secureJsonData, clientSecret: '' },
  };
}
