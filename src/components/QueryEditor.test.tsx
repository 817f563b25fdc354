import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import React, { useState } from 'react';

import { createDataFrame, dateTime, getDefaultTimeRange, LoadingState, PanelData, TimeRange } from '@grafana/data';

import { QueryEditorSelectors as s } from '../selectors';
import { withSizedElements } from '../testing/jsdomStubs';
import { testDataSource } from '../testing/fixtures';
import { Auth0Query } from '../types';
import { QueryEditor } from './QueryEditor';

jest.mock('./query/MonacoQueryInput');

type Setup = ReturnType<typeof testDataSource> & { onChange: jest.Mock; onRunQuery: jest.Mock };

/** Renders the editor with its query held in state, as Grafana does. */
function setup(initial: Partial<Auth0Query>, data?: PanelData, range?: TimeRange): Setup {
  const fixtures = testDataSource({ ips: { current: ['1.1.1.1'] } });
  const onChange = jest.fn();
  const onRunQuery = jest.fn();
  function Harness() {
    const [query, setQuery] = useState<Auth0Query>({ refId: 'A', ...initial });
    return (
      <QueryEditor
        datasource={fixtures.ds}
        query={query}
        onChange={(q) => {
          onChange(q);
          setQuery(q);
        }}
        onRunQuery={onRunQuery}
        data={data}
        range={range}
      />
    );
  }
  render(<Harness />);
  return { ...fixtures, onChange, onRunQuery };
}

function lastQuery(fn: jest.Mock): Auth0Query {
  return fn.mock.calls[fn.mock.calls.length - 1][0];
}

/** How long the tests below wait for the validator's answer: generous, for a loaded machine. */
const SLOW_MACHINE_MS = 15_000;

const label = (text: string) => screen.queryByText(text, { selector: 'label' });

describe('QueryEditor', () => {
  it.each([
    ['logs', [s.limit.label], [s.groupBy.label, s.interval.label, s.legendFormat.label, s.distinctField.label]],
    ['table', [s.limit.label], [s.groupBy.label, s.interval.label]],
    ['count', [s.groupBy.label, s.interval.label, s.legendFormat.label], [s.limit.label, s.distinctField.label]],
    ['distinct', [s.distinctField.label, s.groupBy.label, s.interval.label], [s.limit.label]],
    ['top', [s.rankBy.label, s.limit.label], [s.groupBy.label, s.interval.label]],
    ['values', [s.rankBy.label, s.limit.label], [s.legendFormat.label]],
  ] as const)('shows the %s options and hides the others', async (type, shown, hidden) => {
    setup({ queryType: type });
    await screen.findByTestId(s.presets.testId);
    for (const text of shown) {
      expect(label(text)).toBeInTheDocument();
    }
    for (const text of hidden) {
      expect(label(text)).not.toBeInTheDocument();
    }
    expect(label(s.query.label)).toBeInTheDocument();
    expect(label(s.eventTypes.label)).toBeInTheDocument();
    expect(label(s.categories.label)).toBeInTheDocument();
  });

  it('switches type, resets the limit, runs, and swaps the options shown', async () => {
    const { onChange, onRunQuery } = setup({ queryType: 'logs', limit: 500 });
    await screen.findByTestId(s.presets.testId);
    expect(label(s.groupBy.label)).not.toBeInTheDocument();
    fireEvent.click(screen.getByRole('radio', { name: s.queryType.options.count.label }));
    expect(lastQuery(onChange)).toMatchObject({ queryType: 'count', limit: undefined });
    expect(onRunQuery).toHaveBeenCalled();
    expect(label(s.groupBy.label)).toBeInTheDocument();
    expect(label(s.limit.label)).not.toBeInTheDocument();
  });

  it('sets the event types from a preset and runs the query', async () => {
    const { onChange, onRunQuery } = setup({ queryType: 'count', eventTypes: ['sapi'] });
    fireEvent.click(await screen.findByRole('button', { name: 'Rate of errors in login flow' }));
    expect(lastQuery(onChange).eventTypes).toEqual(['s', 'fu', 'fp']);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
  });

  it('shows the validator error with its hint and marks the position', async () => {
    const { postResource } = setup({ queryType: 'logs' });
    postResource.mockResolvedValue({
      valid: false,
      error: { message: 'unexpected AND', position: 11, length: 3, hint: 'Remove the second AND.' },
    });
    const input = screen.getByRole('textbox', { name: s.query.label });
    fireEvent.change(input, { target: { value: 'type:f AND AND ip:$ips' } });

    const error = await screen.findByTestId(s.query.errorTestId, {}, { timeout: 3000 });
    expect(error).toHaveTextContent('unexpected AND (at character 12)');
    expect(error).toHaveTextContent('Remove the second AND.');
    expect(input).toHaveAttribute('data-marker-start', '11');
    expect(input).toHaveAttribute('data-marker-end', '14');
    // Variables are masked with same-length placeholders before validation.
    expect(postResource).toHaveBeenLastCalledWith(
      'validate',
      { query: 'type:f AND AND ip:"xx"', queryType: 'logs' },
      { showErrorAlert: false }
    );
  });

  it(
    'numbers the character as the backend does, with an emoji before the error',
    async () => {
      const { postResource } = setup({ queryType: 'logs' });
      // The backend reports UTF-8 bytes: "😀" is 4 bytes, so the ? is at byte 22, character 20.
      postResource.mockResolvedValue({
        valid: false,
        error: { message: 'the ? wildcard is not supported', position: 22, length: 1, hint: '' },
      });
      const input = screen.getByRole('textbox', { name: s.query.label });
      fireEvent.change(input, { target: { value: 'description:"😀" OR ?x' } });
      const error = await screen.findByTestId(s.query.errorTestId, {}, { timeout: SLOW_MACHINE_MS });
      expect(error).toHaveTextContent('the ? wildcard is not supported (at character 20)');
      // 19 characters come before it, but the emoji takes two UTF-16 units: index 20.
      expect(input).toHaveAttribute('data-marker-start', '20');
    },
    3 * SLOW_MACHINE_MS
  );

  it(
    'shows a mistake once: not again when the run already failed with it',
    async () => {
      const data: PanelData = {
        state: LoadingState.Error,
        series: [],
        timeRange: getDefaultTimeRange(),
        errors: [{ refId: 'A', message: 'character 8: AND is followed by AND; add a condition' }],
      };
      const { postResource } = setup({ queryType: 'logs', query: 'type:s AND AND' }, data);
      postResource.mockResolvedValue({
        valid: false,
        error: { message: 'AND is followed by AND', position: 7, length: 3, hint: 'add a condition' },
      });
      const input = screen.getByRole('textbox', { name: s.query.label });
      await waitFor(() => expect(input).toHaveAttribute('data-marker-start', '7'), { timeout: SLOW_MACHINE_MS });
      expect(screen.queryByTestId(s.query.errorTestId)).not.toBeInTheDocument();

      // A different mistake than the run's is news: it shows.
      postResource.mockResolvedValue({
        valid: false,
        error: { message: 'unterminated quote', position: 11, length: 1, hint: '' },
      });
      fireEvent.change(input, { target: { value: 'type:s AND "x' } });
      expect(await screen.findByTestId(s.query.errorTestId, {}, { timeout: SLOW_MACHINE_MS })).toHaveTextContent(
        'unterminated quote (at character 12)'
      );
    },
    3 * SLOW_MACHINE_MS
  );

  it('shows an error the validator could not locate without a marker', async () => {
    const { postResource } = setup({ queryType: 'logs' });
    postResource.mockResolvedValue({
      valid: false,
      error: { message: 'query too complex', position: -1, length: 0, hint: '' },
    });
    const input = screen.getByRole('textbox', { name: s.query.label });
    fireEvent.change(input, { target: { value: 'type:f' } });
    const error = await screen.findByTestId(s.query.errorTestId, {}, { timeout: 3000 });
    expect(error).toHaveTextContent(/^query too complex$/);
    expect(input).not.toHaveAttribute('data-marker-start');
  });

  it('validates once typing pauses, and clears the error when the query is fixed', async () => {
    const { postResource } = setup({ queryType: 'logs' });
    postResource.mockImplementation(async (_path: string, body: { query: string }) =>
      body.query.includes('AND AND')
        ? { valid: false, error: { message: 'unexpected AND', position: 11, length: 3, hint: '' } }
        : { valid: true, rendered: body.query }
    );
    const input = screen.getByRole('textbox', { name: s.query.label });
    fireEvent.change(input, { target: { value: 'type:f AND' } });
    fireEvent.change(input, { target: { value: 'type:f AND AND' } });
    await screen.findByTestId(s.query.errorTestId, {}, { timeout: 3000 });
    expect(postResource).toHaveBeenCalledTimes(1); // the first text was never sent

    fireEvent.change(input, { target: { value: 'type:f AND ip:"1.1.1.1"' } });
    expect(screen.queryByTestId(s.query.errorTestId)).not.toBeInTheDocument();
    await waitFor(() => expect(postResource).toHaveBeenCalledTimes(2), { timeout: 3000 });
    expect(screen.queryByTestId(s.query.errorTestId)).not.toBeInTheDocument();
  });

  it('runs the query when the field loses focus after a change', async () => {
    const { onRunQuery } = setup({ queryType: 'logs', query: 'type:f' });
    const input = screen.getByRole('textbox', { name: s.query.label });
    fireEvent.blur(input);
    expect(onRunQuery).not.toHaveBeenCalled();
    fireEvent.change(input, { target: { value: 'type:s' } });
    fireEvent.blur(input);
    expect(onRunQuery).toHaveBeenCalledTimes(1);
    await act(async () => {}); // let the catalog requests settle
  });

  describe('what Auth0 searches and what the plugin filters', () => {
    const FROM = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    const TO = FROM + 6 * 3600_000;
    const range: TimeRange = { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-6h', to: 'now' } };
    const COST = 'On demand: fetches every sapi event of the range, 40 Auth0 requests at most.';

    it('says it under the query from the validator answer', async () => {
      const { postResource } = setup({ queryType: 'count' }, undefined, range);
      postResource.mockResolvedValue({
        valid: true,
        rendered: 'type:sapi',
        searched: 'type:sapi',
        filtered: 'details.request.path:"/api/v2/users"',
        cost: COST,
      });
      fireEvent.change(screen.getByRole('textbox', { name: s.query.label }), {
        target: { value: 'type:sapi AND details.request.path:"/api/v2/users"' },
      });
      const plan = await screen.findByTestId(s.plan.testId, {}, { timeout: SLOW_MACHINE_MS });
      expect(plan).toHaveTextContent(
        `Auth0 searches: type:sapi · The plugin filters: details.request.path:"/api/v2/users" · ${COST}`
      );
    });

    it('says every event in the range when Auth0 searches nothing, with the variables put back', async () => {
      const { postResource } = setup({ queryType: 'logs' }, undefined, range);
      postResource.mockResolvedValue({
        valid: true,
        rendered: '',
        searched: '',
        filtered: 'security_context.ja4:"xx"',
        cost: 'From the tenant log store: no Auth0 requests.',
      });
      fireEvent.change(screen.getByRole('textbox', { name: s.query.label }), {
        target: { value: 'security_context.ja4:$ips' },
      });
      const plan = await screen.findByTestId(s.plan.testId, {}, { timeout: SLOW_MACHINE_MS });
      expect(plan).toHaveTextContent(
        'Auth0 searches: every event in the range · The plugin filters: security_context.ja4:$ips · From the tenant log store: no Auth0 requests.'
      );
    });

    it('stays quiet when the plugin filters nothing', async () => {
      const { postResource } = setup({ queryType: 'count' }, undefined, range);
      let answered = false;
      postResource.mockImplementation(async () => {
        answered = true;
        return { valid: true, rendered: 'type:f', searched: 'type:f', filtered: '', cost: COST };
      });
      fireEvent.change(screen.getByRole('textbox', { name: s.query.label }), { target: { value: 'type:f' } });
      await waitFor(() => expect(answered).toBe(true), { timeout: SLOW_MACHINE_MS });
      await act(async () => {}); // let the answer render
      expect(screen.queryByTestId(s.plan.testId)).not.toBeInTheDocument();
      expect(screen.queryByText(/The plugin filters/)).not.toBeInTheDocument();
      expect(screen.queryByText(new RegExp(COST))).not.toBeInTheDocument();
    });

    it('sends the range and the query options with the text, and asks again when they change', async () => {
      const { postResource } = setup(
        {
          queryType: 'distinct',
          eventTypes: ['sapi'],
          categories: ['management_api'],
          groupBy: 'details.request.path',
          distinctField: 'user_agent.family',
          interval: '1h',
        },
        undefined,
        range
      );
      fireEvent.change(screen.getByRole('textbox', { name: s.query.label }), {
        target: { value: 'details.response.statusCode:[400 TO 499]' },
      });
      await waitFor(() => expect(postResource).toHaveBeenCalledTimes(1), { timeout: SLOW_MACHINE_MS });
      expect(postResource).toHaveBeenLastCalledWith(
        'validate',
        {
          query: 'details.response.statusCode:[400 TO 499]',
          queryType: 'distinct',
          eventTypes: ['sapi'],
          categories: ['management_api'],
          groupBy: 'details.request.path',
          distinctField: 'user_agent.family',
          interval: '1h',
          from: FROM,
          to: TO,
        },
        { showErrorAlert: false }
      );

      // Another type is another question, asked after the same pause.
      fireEvent.click(screen.getByRole('radio', { name: s.queryType.options.count.label }));
      await waitFor(() => expect(postResource).toHaveBeenCalledTimes(2), { timeout: SLOW_MACHINE_MS });
      expect(postResource.mock.calls[1][1]).toMatchObject({
        query: 'details.response.statusCode:[400 TO 499]',
        queryType: 'count',
        groupBy: 'details.request.path',
        from: FROM,
        to: TO,
      });
    });
  });

  describe('group by and distinct field', () => {
    withSizedElements();

    it('suggests the field paths of the fields resource, marked as filtered by the plugin', async () => {
      const { onChange, onRunQuery } = setup({ queryType: 'count', groupBy: 'type' });
      await screen.findByTestId(s.presets.testId);
      const input = document.getElementById(s.groupBy.id)!;
      fireEvent.change(input, { target: { value: 'ja4' } });
      const option = await screen.findByRole('option', { name: /^security_context\.ja4/ });
      expect(option).toHaveTextContent(s.fieldPath.description);
      fireEvent.click(option);
      expect(lastQuery(onChange).groupBy).toBe('security_context.ja4');
      expect(onRunQuery).toHaveBeenCalled();
    });

    it('accepts a path it does not suggest as a custom value and stores it in the query', async () => {
      const { onChange, onRunQuery } = setup({ queryType: 'count', groupBy: 'type' });
      await screen.findByTestId(s.presets.testId);
      const input = document.getElementById(s.groupBy.id)!;
      fireEvent.change(input, { target: { value: 'details.riskAssessment.confidence' } });
      fireEvent.click(await screen.findByRole('option', { name: /^details\.riskAssessment\.confidence/ }));
      expect(lastQuery(onChange)).toMatchObject({ queryType: 'count', groupBy: 'details.riskAssessment.confidence' });
      expect(onRunQuery).toHaveBeenCalledTimes(1);
      // The stored path shows as the select's value.
      expect(document.getElementById(s.groupBy.id)).toHaveValue('details.riskAssessment.confidence');
    });

    it('accepts a path as the distinct field', async () => {
      const { onChange } = setup({ queryType: 'distinct' });
      await screen.findByTestId(s.presets.testId);
      const input = document.getElementById(s.distinctField.id)!;
      fireEvent.change(input, { target: { value: 'user_agent.family' } });
      // A derived path is suggested even though the fields resource does not list it.
      fireEvent.click(
        await screen.findByRole('option', { name: new RegExp(`^user_agent\\.family.*${s.fieldPath.description}`) })
      );
      expect(lastQuery(onChange).distinctField).toBe('user_agent.family');
    });
  });

  it('shows the cost of the last run from the frame stats', async () => {
    const data: PanelData = {
      state: LoadingState.Done,
      timeRange: getDefaultTimeRange(),
      series: [
        createDataFrame({
          refId: 'A',
          fields: [],
          meta: {
            stats: [
              { displayName: 'Auth0 requests', value: 12 },
              { displayName: 'Events', value: 1150 },
              { displayName: 'Cache hits', value: 3 },
            ],
            notices: [{ severity: 'warning', text: 'Partial data: the request budget of this query ran out.' }],
          },
        }),
      ],
    };
    setup({ queryType: 'count' }, data);
    const line = await screen.findByTestId(s.lastRun.testId);
    expect(line).toHaveTextContent('Last run: 12 Auth0 requests, 1,150 events, 3 cache hits');
    expect(line).toHaveTextContent('Partial data: the request budget of this query ran out.');
  });

  it('shows no cost line before the first run', async () => {
    setup({ queryType: 'count' });
    await screen.findByTestId(s.presets.testId);
    expect(screen.queryByTestId(s.lastRun.testId)).not.toBeInTheDocument();
  });
});
