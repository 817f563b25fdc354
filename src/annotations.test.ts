import { createDataFrame, FieldType } from '@grafana/data';
import { firstValueFrom } from 'rxjs';

import { annotationSupport, framesToAnnotations } from './annotations';

describe('framesToAnnotations', () => {
  it('maps timestamp, body and the event type from labels', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'id', type: FieldType.string, values: ['a', 'b'] },
        { name: 'labels', type: FieldType.other, values: [{ type: 'sapi' }, '{"type":"limit_wc"}'] },
        { name: 'timestamp', type: FieldType.time, values: [1000, 2000] },
        { name: 'body', type: FieldType.string, values: ['Update client', 'Blocked account'] },
      ],
    });
    expect(framesToAnnotations([frame])).toEqual([
      { time: 1000, text: 'Update client', tags: ['sapi'] },
      { time: 2000, text: 'Blocked account', tags: ['limit_wc'] },
    ]);
  });

  it('prefers a type field, and skips rows without a time', () => {
    const frame = createDataFrame({
      fields: [
        { name: 'timestamp', type: FieldType.time, values: [1000, null] },
        { name: 'body', type: FieldType.string, values: ['x', 'y'] },
        { name: 'type', type: FieldType.string, values: ['f', 's'] },
      ],
    });
    expect(framesToAnnotations([frame])).toEqual([{ time: 1000, text: 'x', tags: ['f'] }]);
  });

  it('ignores frames without a time field', () => {
    const frame = createDataFrame({ fields: [{ name: 'body', type: FieldType.string, values: ['x'] }] });
    expect(framesToAnnotations([frame])).toEqual([]);
  });
});

describe('annotationSupport', () => {
  it('always runs a logs query, keeping the user filters', () => {
    const anno = annotationSupport.prepareAnnotation!({
      name: 'Management API writes',
      enable: true,
      iconColor: 'red',
      target: { refId: '', queryType: 'count', eventTypes: ['sapi'] },
    });
    expect(anno.target).toMatchObject({ queryType: 'logs', eventTypes: ['sapi'], limit: 100 });
    expect(annotationSupport.prepareQuery!(anno)).toMatchObject({
      refId: 'Anno',
      queryType: 'logs',
      eventTypes: ['sapi'],
    });
  });

  it('skips an annotation without a query', () => {
    expect(annotationSupport.prepareQuery!({ name: 'x', enable: true, iconColor: 'red' })).toBeUndefined();
  });

  it('turns frames into events', async () => {
    const frame = createDataFrame({
      fields: [
        { name: 'timestamp', type: FieldType.time, values: [5] },
        { name: 'body', type: FieldType.string, values: ['b'] },
      ],
    });
    const events = await firstValueFrom(
      annotationSupport.processEvents!({ name: 'x', enable: true, iconColor: 'red' }, [frame])
    );
    expect(events).toEqual([{ time: 5, text: 'b', tags: [] }]);
  });
});
