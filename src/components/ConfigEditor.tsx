import React, { useState } from 'react';

import { DataSourcePluginOptionsEditorProps } from '@grafana/data';
import { CollapsableSection, Field, FieldSet, Input, SecretInput, Text } from '@grafana/ui';

import { ConfigEditorSelectors } from '../selectors';
import { Auth0Options, Auth0SecureJsonData, BUDGET } from '../types';
import {
  parseNumberInput,
  storedNumber,
  validateApiBaseUrl,
  validateAudience,
  validateDomain,
  validateRequestsPerMinute,
  validateRequestsPerQuery,
} from '../validation';
import { withClientSecret, withClientSecretReset, withJsonData } from './config/optionsUpdate';
import { SetupHelp } from './config/SetupHelp';

type Props = DataSourcePluginOptionsEditorProps<Auth0Options, Auth0SecureJsonData>;

const s = ConfigEditorSelectors;
const WIDTH = 60;

/**
 * Data source settings: the tenant and its machine-to-machine credentials, the request budget,
 * and, folded away, the API base URL for a local emulator. Mistakes the backend would reject at
 * "Save & test" are shown beside their field as they are typed.
 */
export function ConfigEditor({ options, onOptionsChange }: Props) {
  const { jsonData, secureJsonFields, secureJsonData } = options;
  const [advancedOpen, setAdvancedOpen] = useState(() => Boolean(jsonData.apiBaseUrl));

  const setText = (key: 'domain' | 'clientId' | 'audience' | 'apiBaseUrl') => (e: React.FormEvent<HTMLInputElement>) =>
    onOptionsChange(withJsonData(options, key, e.currentTarget.value || undefined));
  const setNumber = (key: 'requestsPerMinute' | 'requestsPerQuery') => (e: React.FormEvent<HTMLInputElement>) =>
    onOptionsChange(withJsonData(options, key, parseNumberInput(e.currentTarget.value)));

  const domainError = validateDomain(jsonData.domain);
  const audienceError = validateAudience(jsonData.audience);
  const perMinute = storedNumber(jsonData.requestsPerMinute);
  const perQuery = storedNumber(jsonData.requestsPerQuery);
  const perMinuteError = validateRequestsPerMinute(perMinute);
  const perQueryError = validateRequestsPerQuery(perQuery);
  const baseUrlError = validateApiBaseUrl(jsonData.apiBaseUrl);

  return (
    <>
      <SetupHelp />
      <FieldSet label={s.connection.title}>
        <Field
          label={s.domain.label}
          description={s.domain.description}
          required
          invalid={!!domainError}
          error={domainError}
        >
          <Input
            id={s.domain.id}
            width={WIDTH}
            value={jsonData.domain ?? ''}
            placeholder={s.domain.placeholder}
            onChange={setText('domain')}
          />
        </Field>
        <Field label={s.clientId.label} required>
          <Input
            id={s.clientId.id}
            width={WIDTH}
            value={jsonData.clientId ?? ''}
            placeholder={s.clientId.placeholder}
            onChange={setText('clientId')}
          />
        </Field>
        <Field label={s.clientSecret.label} required>
          <SecretInput
            id={s.clientSecret.id}
            width={WIDTH}
            isConfigured={Boolean(secureJsonFields?.clientSecret)}
            value={secureJsonData?.clientSecret ?? ''}
            placeholder={s.clientSecret.placeholder}
            onChange={(e) => onOptionsChange(withClientSecret(options, e.currentTarget.value))}
            onReset={() => onOptionsChange(withClientSecretReset(options))}
          />
        </Field>
        <Field
          label={s.audience.label}
          description={s.audience.description}
          invalid={!!audienceError}
          error={audienceError}
        >
          <Input
            id={s.audience.id}
            width={WIDTH}
            value={jsonData.audience ?? ''}
            placeholder={s.audience.placeholder}
            onChange={setText('audience')}
          />
        </Field>
      </FieldSet>

      <FieldSet label={s.budget.title}>
        <Text variant="bodySmall" color="secondary" element="p">
          {s.budget.description}
        </Text>
        <Field
          label={s.requestsPerMinute.label}
          description={s.requestsPerMinute.description}
          invalid={!!perMinuteError}
          error={perMinuteError}
        >
          <Input
            id={s.requestsPerMinute.id}
            type="number"
            min={1}
            max={BUDGET.maxPerMinute}
            width={16}
            value={perMinute ?? ''}
            placeholder={String(BUDGET.defaultPerMinute)}
            onChange={setNumber('requestsPerMinute')}
          />
        </Field>
        <Field
          label={s.requestsPerQuery.label}
          description={s.requestsPerQuery.description}
          invalid={!!perQueryError}
          error={perQueryError}
        >
          <Input
            id={s.requestsPerQuery.id}
            type="number"
            min={1}
            max={BUDGET.maxPerQuery}
            width={16}
            value={perQuery ?? ''}
            placeholder={String(BUDGET.defaultPerQuery)}
            onChange={setNumber('requestsPerQuery')}
          />
        </Field>
      </FieldSet>

      <CollapsableSection label={s.advanced.title} isOpen={advancedOpen} onToggle={setAdvancedOpen}>
        <Field
          label={s.apiBaseUrl.label}
          description={s.apiBaseUrl.description}
          invalid={!!baseUrlError}
          error={baseUrlError}
        >
          <Input
            id={s.apiBaseUrl.id}
            width={WIDTH}
            value={jsonData.apiBaseUrl ?? ''}
            placeholder={s.apiBaseUrl.placeholder}
            onChange={setText('apiBaseUrl')}
          />
        </Field>
      </CollapsableSection>
    </>
  );
}
