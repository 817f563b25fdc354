import {
  CustomVariableSupport,
  DataFrame,
  DataQueryRequest,
  DataQueryResponse,
  FieldType,
  toDataFrame,
} from '@grafana/data';
import { from, map, Observable } from 'rxjs';

import { VariableQueryEditor } from './components/VariableQueryEditor';
import type { DataSource } from './datasource';
import { EventTypeCatalog } from './resources';
import { Auth0Query, Auth0VariableQuery } from './types';

/** A frame of text/value pairs, the shape Grafana reads variable options from. */
export function textValueFrame(options: Array<{ text: string; value: string }>): DataFrame {
  return toDataFrame({
    fields: [
      { name: 'text', type: FieldType.string, values: options.map((o) => o.text) },
      { name: 'value', type: FieldType.string, values: options.map((o) => o.value) },
    ],
  });
}

/** Variable options for an event-type or category variable, taken from the catalog. */
export function catalogOptions(
  catalog: EventTypeCatalog,
  query: Auth0VariableQuery
): Array<{ text: string; value: string }> {
  if (query.kind === 'categories') {
    return catalog.categories.map((c) => ({ text: c.name, value: c.id }));
  }
  return catalog.types
    .filter((t) => !query.category || t.category === query.category)
    .map((t) => ({ text: `${t.name} (${t.code})`, value: t.code }));
}

/** The backend query behind a field-values variable. */
export function valuesQuery(query: Auth0VariableQuery): Auth0Query {
  return {
    refId: query.refId || 'variable',
    queryType: 'values',
    groupBy: query.field ?? 'ip',
    query: query.query,
    limit: query.limit,
  };
}

/**
 * Template variables: event types and categories come from the catalog without touching Auth0;
 * field values run a "values" query over the dashboard's time range.
 */
export class Auth0VariableSupport extends CustomVariableSupport<DataSource, Auth0VariableQuery, Auth0Query> {
  editor = VariableQueryEditor;

  constructor(private readonly datasource: DataSource) {
    super();
  }

  query(request: DataQueryRequest<Auth0VariableQuery>): Observable<DataQueryResponse> {
    const target: Auth0VariableQuery = request.targets[0] ?? { refId: 'variable' };
    if (target.kind === 'eventTypes' || target.kind === 'categories') {
      return from(this.datasource.getCatalog()).pipe(
        map((catalog) => ({ data: [textValueFrame(catalogOptions(catalog, target))] }))
      );
    }
    return this.datasource.query({ ...request, targets: [valuesQuery(target)] });
  }
}
