import {
  DataQueryRequest,
  DataQueryResponse,
  LiveChannelScope,
  LoadingState,
  StreamingFrameAction,
} from '@grafana/data';
import { getGrafanaLiveSrv, GrafanaLiveSrv } from '@grafana/runtime';
import { merge, Observable, of } from 'rxjs';

import { Auth0Query } from './types';

/*
 * Explore's live mode. Each logs query becomes a Grafana Live channel ds/<uid>/tail/<hash>; the
 * backend (pkg/plugin/stream.go) streams what the tenant log store's tail commits that matches
 * the query, at no Auth0 request. The path names the query by a hash because Grafana runs one
 * stream per channel and gives it the first subscriber's data: equal queries share one stream,
 * different queries must never meet on one path.
 */

/** The part of a query that decides which events a tail sends. */
function tailKey(q: Auth0Query): string {
  return JSON.stringify({
    query: q.query ?? '',
    eventTypes: [...(q.eventTypes ?? [])].sort(),
    categories: [...(q.categories ?? [])].sort(),
  });
}

/** Two independent 32-bit string hashes: 64 bits, so distinct queries do not collide in practice. */
function hash64(s: string): string {
  let a = 0x811c9dc5;
  let b = 5381;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = (Math.imul(b, 33) + c) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** The channel path of a query's live tail. */
export function tailPath(q: Auth0Query): string {
  return 'tail/' + hash64(tailKey(q));
}

/** Rows a live view keeps; older lines scroll away as in Explore's other live sources. */
export const LIVE_MAX_LINES = 1000;

/**
 * The live tail of every logs query of the request (already interpolated), as one stream of
 * responses. Non-logs queries have nothing to tail and answer with no rows.
 */
export function liveTail(
  uid: string,
  request: DataQueryRequest<Auth0Query>,
  live: GrafanaLiveSrv = getGrafanaLiveSrv()
): Observable<DataQueryResponse> {
  const logs = request.targets.filter((t) => !t.hide && (t.queryType ?? 'logs') === 'logs');
  if (logs.length === 0) {
    return of({ data: [], state: LoadingState.Done });
  }
  return merge(
    ...logs.map((q) =>
      live.getDataStream({
        key: `${request.requestId}.${q.refId}`,
        addr: {
          scope: LiveChannelScope.DataSource,
          stream: uid,
          path: tailPath(q),
          data: { ...q, queryType: 'logs' },
        },
        buffer: { maxLength: LIVE_MAX_LINES, maxDelta: Infinity, action: StreamingFrameAction.Append },
      })
    )
  );
}
