import {
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  DataSourceWithSupplementaryQueriesSupport,
  LoadingState,
  ScopedVars,
  SupplementaryQueryOptions,
  SupplementaryQueryType,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, TemplateSrv } from '@grafana/runtime';
import { from, map, mergeMap, Observable, of } from 'rxjs';

import { annotationSupport } from './annotations';
import { liveTail } from './liveTail';
import { bucketMs } from './loading/plan';
import { isVolumeRequest, volumeByLevel, volumeQuery, volumeRequest } from './logsVolume';
import { runInPieces } from './loading/runInPieces';
import { describeQuery } from './queryText';
import {
  EMPTY_CATALOG,
  EventTypeCatalog,
  QueryValidationOptions,
  QueryValidationResult,
  SearchFields,
} from './resources';
import { interpolateList, interpolateQuery } from './templating/interpolate';
import { templateSrvSource } from './templating/templateSrvSource';
import { chooseMessage, unsetVariables, waitingFrame } from './templating/unsetVariables';
import { Auth0Options, Auth0Query, DEFAULT_EXPLORE_QUERY, DEFAULT_QUERY } from './types';
import { parseInterval } from './validation';
import { Auth0VariableSupport } from './variables';

/**
 * The Auth0 Logs data source. Queries run in the Go backend; the browser side adds template
 * variables, the editors' catalog look-ups and the query validator.
 */
export class DataSource
  extends DataSourceWithBackend<Auth0Query, Auth0Options>
  implements DataSourceWithSupplementaryQueriesSupport<Auth0Query>
{
  private catalog?: Promise<EventTypeCatalog>;
  private fields?: Promise<SearchFields>;

  constructor(
    instanceSettings: DataSourceInstanceSettings<Auth0Options>,
    private readonly templateSrv: TemplateSrv = getTemplateSrv()
  ) {
    super(instanceSettings);
    this.variables = new Auth0VariableSupport(this);
    this.annotations = annotationSupport;
  }

  /** Explore starts with log lines; panels and alert rules with a per-type count. */
  getDefaultQuery(app: CoreApp): Partial<Auth0Query> {
    return app === CoreApp.Explore ? DEFAULT_EXPLORE_QUERY : DEFAULT_QUERY;
  }

  /** A hidden query is neither run nor charged to the request budget. */
  filterQuery(query: Auth0Query): boolean {
    return !query.hide;
  }

  /**
   * Runs the panel's queries; in Explore's live mode, streams the logs queries' live tails
   * instead (liveTail.ts); for Explore's logs volume, adds the per-type counts up by level
   * (logsVolume.ts).
   */
  query(request: DataQueryRequest<Auth0Query>): Observable<DataQueryResponse> {
    if (request.liveStreaming) {
      const targets = request.targets.map((t) => this.applyTemplateVariables(t, request.scopedVars));
      return liveTail(this.uid, { ...request, targets });
    }
    const answers = this.run(request);
    if (!isVolumeRequest(request)) {
      return answers;
    }
    // The catalog says each type's outcome, hence its level; without it every bar is "debug".
    const catalog = this.getCatalog().catch(() => EMPTY_CATALOG);
    return answers.pipe(mergeMap((r) => from(catalog).pipe(map((c) => ({ ...r, data: volumeByLevel(r.data, c) })))));
  }

  /** Explore's supplementary queries: the logs volume, counted over the whole range. */
  getSupportedSupplementaryQueryTypes(): SupplementaryQueryType[] {
    return [SupplementaryQueryType.LogsVolume];
  }

  /** The count request behind Explore's logs volume; undefined for requests without logs. */
  getSupplementaryRequest(
    type: SupplementaryQueryType,
    request: DataQueryRequest<Auth0Query>
  ): DataQueryRequest<Auth0Query> | undefined {
    return type === SupplementaryQueryType.LogsVolume ? volumeRequest(request) : undefined;
  }

  /** The count query behind one logs query's volume. */
  getSupplementaryQuery(options: SupplementaryQueryOptions, query: Auth0Query): Auth0Query | undefined {
    if (options.type !== SupplementaryQueryType.LogsVolume || (query.queryType ?? 'logs') !== 'logs') {
      return undefined;
    }
    return volumeQuery(query);
  }

  /**
   * A query whose variable is not chosen yet is not sent: it answers with no rows and a notice
   * saying what to choose. A long range is asked for in pieces, newest first, so the panel fills
   * as they come (see loading/runInPieces.ts).
   */
  private run(request: DataQueryRequest<Auth0Query>): Observable<DataQueryResponse> {
    const source = templateSrvSource(this.templateSrv, request.scopedVars);
    const labels = new Map(this.templateSrv.getVariables().map((v) => [v.name, v.label ?? undefined]));
    const waiting = request.targets
      .filter((t) => !t.hide)
      .map((t) => ({ refId: t.refId, unset: unsetVariables(t, source) }))
      .filter((w) => w.unset.length > 0)
      .map((w) => waitingFrame(w.refId, chooseMessage(w.unset[0], labels.get(w.unset[0]))));
    const targets = request.targets.filter((t) => !waiting.some((f) => f.refId === t.refId));
    if (!targets.some((t) => !t.hide)) {
      return of({ data: waiting, state: LoadingState.Done });
    }
    const step = (q: Auth0Query) =>
      bucketMs(this.applyTemplateVariables(q, request.scopedVars), request.intervalMs, parseInterval);
    const answers = runInPieces({ ...request, targets }, (r) => super.query(r), step);
    return waiting.length ? answers.pipe(map((r) => ({ ...r, data: [...waiting, ...r.data] }))) : answers;
  }

  /**
   * Interpolates dashboard variables. The Auth0 query gets quoting and multi-value expansion
   * (see templating/interpolate.ts); list fields take one entry per selected value.
   */
  applyTemplateVariables(query: Auth0Query, scopedVars: ScopedVars): Auth0Query {
    const source = templateSrvSource(this.templateSrv, scopedVars);
    return {
      ...this.interpolateOptions(query, scopedVars),
      query: query.query ? interpolateQuery(query.query, source) : query.query,
      legendFormat: this.replace(query.legendFormat, scopedVars),
    };
  }

  /**
   * The filters and fields of a query, or of a validation request, with variables filled in: list
   * fields take one entry per selected value. The backend rejects a field that is neither in
   * GroupFields nor a field path, naming the allowed ones.
   */
  private interpolateOptions<T extends QueryValidationOptions>(options: T, scopedVars: ScopedVars): T {
    const source = templateSrvSource(this.templateSrv, scopedVars);
    return {
      ...options,
      eventTypes: interpolateList(options.eventTypes, source),
      categories: interpolateList(options.categories, source),
      groupBy: this.replace(options.groupBy, scopedVars),
      distinctField: this.replace(options.distinctField, scopedVars),
      interval: this.replace(options.interval, scopedVars),
    };
  }

  private replace(s: string | undefined, scopedVars: ScopedVars): string | undefined {
    return s ? this.templateSrv.replace(s, scopedVars) : s;
  }

  /** A one-line summary for query history and the query inspector. */
  getQueryDisplayText(query: Auth0Query): string {
    return describeQuery(query);
  }

  /** The event-type catalog; fetched once per data source instance, again after a failure. */
  getCatalog(): Promise<EventTypeCatalog> {
    if (!this.catalog) {
      this.catalog = this.getResource<EventTypeCatalog>('event-types').catch((err) => {
        this.catalog = undefined;
        throw err;
      });
    }
    return this.catalog;
  }

  /** The searchable and groupable field names; fetched once, again after a failure. */
  getSearchFields(): Promise<SearchFields> {
    if (!this.fields) {
      this.fields = this.getResource<SearchFields>('fields').catch((err) => {
        this.fields = undefined;
        throw err;
      });
    }
    return this.fields;
  }

  /** Names of the dashboard's variables, for completion after "$". */
  getVariableNames(): string[] {
    return this.templateSrv.getVariables().map((v) => v.name);
  }

  /**
   * Asks the backend's parser about a query, without spending an Auth0 request. options let it say
   * what Auth0 searches, what the plugin filters and what that costs over the range; their
   * variables are interpolated as for a run (the query text is the caller's, masked). Empty
   * options are left out of the request.
   */
  validateQuery(query: string, options: QueryValidationOptions = {}): Promise<QueryValidationResult> {
    const body: Record<string, unknown> = { query };
    for (const [k, v] of Object.entries(this.interpolateOptions(options, {}))) {
      if (v !== undefined && v !== '' && !(Array.isArray(v) && v.length === 0)) {
        body[k] = v;
      }
    }
    return this.postResource<QueryValidationResult>('validate', body, { showErrorAlert: false });
  }
}
