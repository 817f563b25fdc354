import type { Response } from '@playwright/test';
import { expect, test } from '@grafana/plugin-e2e';

import anomalyDetection from '../src/dashboards/anomaly-detection.json';
import detections from '../src/dashboards/detections.json';
import incidentResponse from '../src/dashboards/incident-response.json';

/*
 * A bundled dashboard, as provisioned into the "Auth0" folder from the installed plugin's
 * dashboards directory, must open with every panel answered and none in error. The uid comes from
 * the JSON the plugin ships, so a renamed dashboard cannot leave this test pointing at nothing.
 */

const QUERY_API = '/api/ds/query';

/** Query errors per refId found in one /api/ds/query answer, as "refId: message". */
async function queryErrors(response: Response): Promise<string[]> {
  const body = (await response.json().catch(() => ({}))) as { results?: Record<string, { error?: string }> };
  return Object.entries(body.results ?? {})
    .filter(([, r]) => r.error)
    .map(([refId, r]) => `${refId}: ${r.error}`);
}

test('the anomaly-detection dashboard opens without panel errors', async ({ gotoDashboardPage, page }) => {
  test.slow(); // eleven panels, each a backend query; the page is also scrolled to load them all

  const answers: Array<Promise<string[]>> = [];
  page.on('response', (r) => {
    if (r.url().includes(QUERY_API)) {
      answers.push(queryErrors(r));
    }
  });

  const dashboardPage = await gotoDashboardPage({ uid: anomalyDetection.uid });
  await expect(page.getByText(anomalyDetection.title).first()).toBeVisible();
  await expect(dashboardPage.getPanelByTitle(anomalyDetection.panels[0].title).locator).toBeVisible();

  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true });
  expect(answers.length, 'the dashboard ran no queries').toBeGreaterThan(0);
  expect((await Promise.all(answers)).flat()).toEqual([]);
  await expect(dashboardPage).not.toHavePanelErrors();
});

test('the detections dashboard opens without panel errors, its field-path panels included', async ({
  gotoDashboardPage,
  page,
}) => {
  test.slow(); // five rows of panels, several filtered by the plugin on details.* and security_context.*

  const answers: Array<Promise<string[]>> = [];
  page.on('response', (r) => {
    if (r.url().includes(QUERY_API)) {
      answers.push(queryErrors(r));
    }
  });

  const dashboardPage = await gotoDashboardPage({ uid: detections.uid });
  await expect(page.getByText(detections.title).first()).toBeVisible();
  await expect(dashboardPage.getPanelByTitle(detections.panels[0].title).locator).toBeVisible();

  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true });
  expect(answers.length, 'the dashboard ran no queries').toBeGreaterThan(0);
  expect((await Promise.all(answers)).flat()).toEqual([]);
  await expect(dashboardPage).not.toHavePanelErrors();
});

test('the incident-response dashboard opens with no red panel while its User ID box is empty', async ({
  gotoDashboardPage,
}) => {
  test.slow();
  const dashboardPage = await gotoDashboardPage({ uid: incidentResponse.uid });
  await expect(dashboardPage.getPanelByTitle(incidentResponse.panels[0].title).locator).toBeVisible();

  await dashboardPage.waitForPanelsQueriesToComplete({ scrollAll: true });
  // The panels that need a user say so (a notice) rather than failing on user_id:"".
  await expect(dashboardPage).not.toHavePanelErrors();
});
