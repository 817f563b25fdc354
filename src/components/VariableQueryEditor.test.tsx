import { act, fireEvent, render, screen } from '@testing-library/react';
import React, { useState } from 'react';

import { VariableEditorSelectors as s, QueryEditorSelectors } from '../selectors';
import { testDataSource } from '../testing/fixtures';
import '../testing/jsdomStubs';
import { Auth0VariableQuery } from '../types';
import { VariableQueryEditor } from './VariableQueryEditor';

jest.mock('./query/MonacoQueryInput');

async function setup(initial: Partial<Auth0VariableQuery> = {}) {
  const { ds } = testDataSource();
  const onChange = jest.fn();
  function Harness() {
    const [query, setQuery] = useState<Auth0VariableQuery>({ refId: 'v', ...initial });
    return (
      <VariableQueryEditor
        datasource={ds}
        query={query}
        onChange={(q) => {
          onChange(q);
          setQuery(q);
        }}
        onRunQuery={() => {}}
      />
    );
  }
  render(<Harness />);
  await act(async () => {}); // let the catalog and field lists arrive
  return { onChange };
}

const last = (fn: jest.Mock): Auth0VariableQuery => fn.mock.calls[fn.mock.calls.length - 1][0];
const label = (text: string) => screen.queryByText(text, { selector: 'label' });

describe('VariableQueryEditor', () => {
  it('starts as field values, with field, limit, query and a cost note', async () => {
    await setup();
    expect(screen.getByRole('radio', { name: s.kind.options.values.label })).toBeChecked();
    expect(label(s.field.label)).toBeInTheDocument();
    expect(label(s.limit.label)).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: QueryEditorSelectors.query.label })).toBeInTheDocument();
    expect(screen.getByText(s.cost)).toBeInTheDocument();
    expect(label(s.category.label)).not.toBeInTheDocument();
  });

  it('switches to event types and offers a category filter', async () => {
    const { onChange } = await setup();
    fireEvent.click(screen.getByRole('radio', { name: s.kind.options.eventTypes.label }));
    expect(last(onChange)).toEqual({ refId: 'v', kind: 'eventTypes' });
    expect(label(s.category.label)).toBeInTheDocument();
    expect(label(s.field.label)).not.toBeInTheDocument();
    expect(screen.queryByText(s.cost)).not.toBeInTheDocument();
  });

  it('needs no options for categories', async () => {
    const { onChange } = await setup();
    fireEvent.click(screen.getByRole('radio', { name: s.kind.options.categories.label }));
    expect(last(onChange)).toEqual({ refId: 'v', kind: 'categories' });
    expect(label(s.category.label)).not.toBeInTheDocument();
    expect(label(s.field.label)).not.toBeInTheDocument();
  });

  it('stores the Auth0 query and limit of a values variable', async () => {
    const { onChange } = await setup({ kind: 'values', field: 'client_name' });
    fireEvent.change(screen.getByRole('textbox', { name: QueryEditorSelectors.query.label }), {
      target: { value: 'type:s' },
    });
    expect(last(onChange)).toEqual({ refId: 'v', kind: 'values', field: 'client_name', query: 'type:s' });
    fireEvent.change(screen.getByLabelText(s.limit.label), { target: { value: '25' } });
    expect(last(onChange)).toMatchObject({ query: 'type:s', limit: 25 });
  });
});
