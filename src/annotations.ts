import { AnnotationEvent, AnnotationQuery, AnnotationSupport, DataFrame, Field, FieldType } from '@grafana/data';
import { of } from 'rxjs';

import { AnnotationQueryEditor } from './components/AnnotationQueryEditor';
import { Auth0Query } from './types';

/** The query an annotation starts with: the newest events of the types the user picks. */
export const DEFAULT_ANNOTATION_QUERY: Auth0Query = { refId: 'Anno', queryType: 'logs', limit: 100 };

function findField(frame: DataFrame, name: string, type: FieldType): Field | undefined {
  return frame.fields.find((f) => f.name === name) ?? frame.fields.find((f) => f.type === type);
}

function typeOf(labels: Field | undefined, typeField: Field | undefined, i: number): string | undefined {
  const direct = typeField?.values[i];
  if (typeof direct === 'string' && direct !== '') {
    return direct;
  }
  let l: unknown = labels?.values[i];
  if (typeof l === 'string') {
    try {
      l = JSON.parse(l);
    } catch {
      return undefined;
    }
  }
  const fromLabels = l && typeof l === 'object' ? (l as Record<string, unknown>).type : undefined;
  return typeof fromLabels === 'string' && fromLabels !== '' ? fromLabels : undefined;
}

/**
 * Turns the backend's logs frames into annotation events: the timestamp field gives the time, body
 * the text and the event type (a "type" field, or labels.type) the tag. Rows without a time are
 * skipped.
 */
export function framesToAnnotations(frames: DataFrame[]): AnnotationEvent[] {
  const events: AnnotationEvent[] = [];
  for (const frame of frames) {
    const time = findField(frame, 'timestamp', FieldType.time);
    if (!time) {
      continue;
    }
    const body = findField(frame, 'body', FieldType.string);
    const labels = frame.fields.find((f) => f.name === 'labels');
    const typeField = frame.fields.find((f) => f.name === 'type');
    for (let i = 0; i < frame.length; i++) {
      const t = time.values[i];
      const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : NaN;
      if (Number.isNaN(ms)) {
        continue;
      }
      const type = typeOf(labels, typeField, i);
      events.push({
        time: ms,
        text: body?.values[i] == null ? '' : String(body.values[i]),
        tags: type ? [type] : [],
      });
    }
  }
  return events;
}

/**
 * Annotations run a logs query; the editor offers only what matters for that (query, event types,
 * categories, limit), and the frames are mapped to events here rather than by the generic mapper,
 * whose guesses depend on field order.
 */
export const annotationSupport: AnnotationSupport<Auth0Query> = {
  QueryEditor: AnnotationQueryEditor,
  getDefaultQuery: () => DEFAULT_ANNOTATION_QUERY,
  prepareAnnotation(json: AnnotationQuery<Auth0Query>): AnnotationQuery<Auth0Query> {
    return { ...json, target: { ...DEFAULT_ANNOTATION_QUERY, ...json.target, queryType: 'logs' } };
  },
  prepareQuery(anno: AnnotationQuery<Auth0Query>): Auth0Query | undefined {
    if (!anno.target) {
      return undefined;
    }
    return { ...anno.target, refId: anno.target.refId || 'Anno', queryType: 'logs' };
  },
  processEvents(_anno: AnnotationQuery<Auth0Query>, frames: DataFrame[]) {
    return of(framesToAnnotations(frames));
  },
};
