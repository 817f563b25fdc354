import { Auth0Query } from './types';

/**
 * Summarises a query in one line, e.g. `Count by type: type:f [f, fu] {login_failure}`, for query
 * history and places where the editor is not shown.
 */
export function describeQuery(q: Auth0Query): string {
  const type = q.queryType ?? 'logs';
  let head: string;
  switch (type) {
    case 'count':
      head = q.groupBy ? `Count by ${q.groupBy}` : 'Count';
      break;
    case 'distinct':
      head = `Distinct ${q.distinctField ?? 'ip'}` + (q.groupBy ? ` by ${q.groupBy}` : '');
      break;
    case 'top':
      head = `Top ${q.limit ?? 10} ${q.groupBy || 'ip'}`;
      break;
    case 'values':
      head = `Values of ${q.groupBy || 'ip'}`;
      break;
    default:
      head = type === 'table' ? 'Table' : 'Logs';
  }
  const parts = [q.query?.trim() || '*'];
  if (q.eventTypes?.length) {
    parts.push(`[${q.eventTypes.join(', ')}]`);
  }
  if (q.categories?.length) {
    parts.push(`{${q.categories.join(', ')}}`);
  }
  return `${head}: ${parts.join(' ')}`;
}
