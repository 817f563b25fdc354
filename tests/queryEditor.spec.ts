import type { Request } from '@playwright/test';
import { expect, test } from '@grafana/plugin-e2e';

import { QueryEditorSelectors as s } from '../src/selectors';
import { QUERY_TYPES, type QueryType } from '../src/types';

/*
 * The query editor in a new panel of a new dashboard, querying the provisioned demo data source
 * (the Auth0 emulator's tenant, or a real one). Selections run the query at once, so each switch
 * below also proves the backend accepts the query the editor builds.
 */

const DATASOURCES_FILE = 'datasources.yml';
const REF_ID = 'A';
const DAY_MS = 24 * 60 * 60 * 1000;
/** Grafana's data query endpoint. */
const QUERY_API = '/api/ds/query';

/** The option fields that depend on the query type, by the id each input carries. */
const OPTION_IDS = [s.limit.id, s.groupBy.id, s.rankBy.id, s.distinctField.id, s.interval.id, s.legendFormat.id];

/** Which option fields each type shows; every other one in OPTION_IDS must be absent. */
const OPTIONS_BY_TYPE: Record<QueryType, string[]> = {
  logs: [s.limit.id],
  table: [s.limit.id],
  count: [s.groupBy.id, s.interval.id, s.legendFormat.id],
  distinct: [s.distinctField.id, s.groupBy.id, s.interval.id, s.legendFormat.id],
  top: [s.rankBy.id, s.limit.id],
  values: [s.rankBy.id, s.limit.id],
  ingestion: [],
};

/** The part of a /api/ds/query answer these tests read. */
interface QueryDataBody {
  results?: Record<string, { error?: string; status?: number; frames?: unknown[] }>;
}

/** The range of a data request of a count query of refId A, or undefined for any other request. */
function countRange(request: Request): { from: number; to: number } | undefined {
  if (!request.url().includes(QUERY_API) || request.method() !== 'POST') {
    return undefined;
  }
  const body = request.postDataJSON() as { from?: string; to?: string; queries?: Array<Record<string, unknown>> };
  const count = body?.queries?.some((q) => q.refId === REF_ID && q.queryType === 'count') ?? false;
  return count ? { from: Number(body?.from), to: Number(body?.to) } : undefined;
}

/** A long range is asked for a day at a time, newest first (src/loading): the first piece ends now. */
const isNewestCountPiece = (request: Request) => {
  const range = countRange(request);
  return range !== undefined && range.to > Date.now() - 10 * 60_000;
};

test('switching the query type shows the fields of that type', async ({ panelEditPage, readProvisionedDataSource }) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow(REF_ID);

  // Shared by every type.
  await expect(row.getByTestId(s.query.testId)).toBeVisible();
  await expect(row.locator(`#${s.eventTypes.id}`)).toBeVisible();
  await expect(row.locator(`#${s.categories.id}`)).toBeVisible();

  for (const type of QUERY_TYPES) {
    const radio = row.getByRole('radio', { name: s.queryType.options[type].label, exact: true });
    await radio.check();
    await expect(radio).toBeChecked();
    for (const id of OPTION_IDS) {
      const field = row.locator(`#${id}`);
      if (OPTIONS_BY_TYPE[type].includes(id)) {
        await expect(field, `${type} shows #${id}`).toBeVisible();
      } else {
        await expect(field, `${type} hides #${id}`).toHaveCount(0);
      }
    }
  }
});

test('an unknown field is reported by the backend validator while typing', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow(REF_ID);

  const field = row.getByTestId(s.query.testId);
  await expect(field.locator('.monaco-editor')).toBeVisible();
  await field.click();
  // insertText rather than type: one edit, so Monaco's auto-closing quotes cannot double a quote.
  await page.keyboard.insertText('user_email:"x"');

  const error = row.getByTestId(s.query.errorTestId);
  await expect(error).toBeVisible();
  await expect(error).toContainText('user_email');
  await expect(error).toContainText('"user_name"');
});

test('a count query over the last 7 days returns data without a panel error', async ({
  panelEditPage,
  readProvisionedDataSource,
  page,
}) => {
  const ds = await readProvisionedDataSource({ fileName: DATASOURCES_FILE });
  await panelEditPage.datasource.set(ds.name);
  const row = panelEditPage.getQueryEditorRow(REF_ID);
  await row.getByRole('radio', { name: s.queryType.options.count.label, exact: true }).check();
  await panelEditPage.timeRange.set({ from: 'now-7d', to: 'now' });

  const pieces: Array<{ from: number; to: number }> = [];
  page.on('request', (r) => {
    const range = countRange(r);
    if (range) {
      pieces.push(range);
    }
  });
  const answer = panelEditPage.waitForQueryDataResponseWithBody<QueryDataBody>((r) => isNewestCountPiece(r.request()));
  await expect(
    panelEditPage.refreshPanel({ waitForResponsePredicateCallback: (r) => isNewestCountPiece(r.request()) })
  ).toBeOK();
  const { body } = await answer;
  // The pieces, asked one after another, reach back the whole 7 days, none longer than a day.
  await expect
    .poll(() => Math.min(...pieces.map((p) => p.from)), { timeout: 120_000 })
    .toBeLessThanOrEqual(Date.now() - 7 * DAY_MS + 10 * 60_000);
  expect(pieces.every((p) => p.to - p.from <= DAY_MS)).toBe(true);

  const result = body?.results?.[REF_ID];
  expect(result?.error, 'the count query failed in the backend').toBeUndefined();
  expect(result?.frames?.length ?? 0).toBeGreaterThan(0);
  await expect(panelEditPage.panel.getErrorIcon()).toHaveCount(0);
  // The cost line is built from the frames' stats, so it shows only when our backend answered.
  await expect(row.getByTestId(s.lastRun.testId)).toBeVisible();
});
