import { DataFrame, LoadingState, PanelData, QueryResultMetaNotice, QueryResultMetaStat } from '@grafana/data';

/*
 * The cost of the last run, read from the frames' meta.stats the backend sets, so a user sees what
 * a query spends of the tenant's Auth0 request budget before saving the panel.
 */

/**
 * How each known stat reads in the summary, singular and plural; names are the displayName the
 * backend sets (pkg/plugin costStats). Optional stats are left out while zero.
 */
const KNOWN: Array<{ names: string[]; one: string; many: string; optional?: boolean }> = [
  { names: ['Auth0 requests'], one: 'Auth0 request', many: 'Auth0 requests' },
  { names: ['Events', 'Events fetched'], one: 'event', many: 'events' },
  { names: ['Cache hits'], one: 'cache hit', many: 'cache hits' },
  { names: ['Joined fetches'], one: 'joined fetch', many: 'joined fetches', optional: true },
];

const numberFormat = new Intl.NumberFormat('en-US');

/** e.g. "12 Auth0 requests, 1,150 events, 3 cache hits"; unknown stats follow as "Name: value". */
export function summarizeStats(stats: QueryResultMetaStat[]): string {
  const parts: string[] = [];
  for (const k of KNOWN) {
    const stat = stats.find((st) => k.names.includes(st.displayName));
    if (stat && !(k.optional && stat.value === 0)) {
      parts.push(`${numberFormat.format(stat.value)} ${stat.value === 1 ? k.one : k.many}`);
    }
  }
  for (const st of stats) {
    if (!KNOWN.some((k) => k.names.includes(st.displayName))) {
      parts.push(`${st.displayName}: ${numberFormat.format(st.value)}${st.unit ? ` ${st.unit}` : ''}`);
    }
  }
  return parts.join(', ');
}

function framesOf(data: PanelData, refId: string): DataFrame[] {
  const own = data.series.filter((f) => f.refId === refId);
  return own.length > 0 ? own : data.series.filter((f) => f.refId === undefined);
}

/** What the editor shows about the last run of one query. */
export interface LastRun {
  summary?: string;
  /** Warnings such as "partial data: request budget reached", deduplicated. */
  notices: QueryResultMetaNotice[];
}

/**
 * Reads the last run of a query from the panel data. The stats of one query are the same on each
 * of its frames, so the first frame that has stats is used rather than a sum.
 */
export function lastRun(data: PanelData | undefined, refId: string): LastRun | undefined {
  if (!data || data.state === LoadingState.Loading) {
    return undefined;
  }
  const frames = framesOf(data, refId);
  const stats = frames.find((f) => f.meta?.stats?.length)?.meta?.stats;
  const notices: QueryResultMetaNotice[] = [];
  for (const n of frames.flatMap((f) => f.meta?.notices ?? [])) {
    if (n.severity !== 'info' && !notices.some((m) => m.text === n.text)) {
      notices.push(n);
    }
  }
  if (!stats && notices.length === 0) {
    return undefined;
  }
  return { summary: stats ? summarizeStats(stats) : undefined, notices };
}
