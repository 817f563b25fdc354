import { expect, test } from '@grafana/plugin-e2e';

import { ConfigEditorSelectors as s } from '../src/selectors';
import type { Auth0Options, Auth0SecureJsonData } from '../src/types';
import { validateDomain } from '../src/validation';

/*
 * The data source settings page against a running Grafana with this repository's provisioning.
 * readProvisionedDataSource expands the ${AUTH0_*} references of datasources.yml from this
 * process's environment, so the values it returns are the real ones only when the runner exports
 * the same variables Grafana was started with (scripts/demo.sh and docker-compose set them).
 */

const DATASOURCES_FILE = 'datasources.yml';

/** What the health check says when the token and one log read both worked (pkg/plugin). */
const HEALTHY = 'can read logs';

test('a new data source shows the tenant fields and the setup help', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE });
  await createDataSourceConfigPage({ type: ds.type });

  const help = page.getByTestId(s.setup.testId);
  await expect(help).toBeVisible();
  await expect(help).toContainText(s.setup.title);
  await expect(help.getByRole('listitem')).toHaveCount(s.setup.steps.length);

  for (const field of [s.domain, s.clientId, s.clientSecret]) {
    await expect(page.locator(`#${field.id}`), `${field.label} input`).toBeVisible();
    await expect(page.locator(`label[for="${field.id}"]`)).toContainText(field.label);
    await expect(page.locator(`#${field.id}`)).toHaveAttribute('placeholder', field.placeholder);
  }
});

test('a domain with a scheme is flagged beside the field while typing', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE });
  await createDataSourceConfigPage({ type: ds.type });

  const bad = 'https://acme.eu.auth0.com';
  const message = validateDomain(bad) ?? '';
  expect(message, 'the frontend validator must reject a domain with a scheme').not.toBe('');

  const domain = page.locator(`#${s.domain.id}`);
  await domain.fill(bad);
  await expect(page.getByRole('alert').filter({ hasText: message })).toBeVisible();

  // The message must go away once the value is fixed, or it would be noise rather than help.
  await domain.fill('acme.eu.auth0.com');
  await expect(page.getByRole('alert').filter({ hasText: message })).toHaveCount(0);
});

test('"Save & test" on the provisioned demo data source reports that logs can be read', async ({
  gotoDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource<Auth0Options, Auth0SecureJsonData>({ fileName: DATASOURCES_FILE });
  const configPage = await gotoDataSourceConfigPage(ds.uid);

  // Only comparable when this process sees the same AUTH0_DOMAIN as Grafana; otherwise it is ''.
  if (ds.jsonData.domain) {
    await expect(page.locator(`#${s.domain.id}`)).toHaveValue(ds.jsonData.domain);
  }
  await expect(configPage.saveAndTest()).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: HEALTHY });
});

test('a data source filled in by hand from the AUTH0_* environment passes "Save & test"', async ({
  createDataSourceConfigPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource<Auth0Options, Auth0SecureJsonData>({ fileName: DATASOURCES_FILE });
  const { domain, clientId, apiBaseUrl } = ds.jsonData;
  const secret = ds.secureJsonData?.clientSecret;
  test.skip(
    !domain || !clientId || !secret,
    'export AUTH0_DOMAIN, AUTH0_CLIENT_ID and AUTH0_CLIENT_SECRET (and AUTH0_API_BASE_URL for the emulator) to run this'
  );

  const configPage = await createDataSourceConfigPage({ type: ds.type });
  await page.locator(`#${s.domain.id}`).fill(domain ?? '');
  await page.locator(`#${s.clientId.id}`).fill(clientId ?? '');
  await page.locator(`#${s.clientSecret.id}`).fill(secret ?? '');
  if (apiBaseUrl) {
    const advanced = page.getByRole('button', { name: s.advanced.title });
    if ((await advanced.getAttribute('aria-expanded')) !== 'true') {
      await advanced.click();
    }
    await page.locator(`#${s.apiBaseUrl.id}`).fill(apiBaseUrl);
  }

  await expect(configPage.saveAndTest()).toBeOK();
  await expect(configPage).toHaveAlert('success', { hasText: HEALTHY });
});
