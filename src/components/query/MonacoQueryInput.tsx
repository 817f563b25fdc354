import { css } from '@emotion/css';
import React, { useCallback, useEffect, useRef, useState } from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { CodeEditor, Monaco, MonacoEditor, monacoTypes, useStyles2 } from '@grafana/ui';

import { AUTH0_LANGUAGE_ID, registerAuth0Completion, registerAuth0Language } from './auth0Language';
import { CompletionData } from './completion';

/** A span of the query to underline, as string indices, with the message shown on hover. */
export interface QueryMarker {
  start: number;
  end: number;
  message: string;
}

/** Props of the query input; the test double in __mocks__ implements the same. */
export interface MonacoQueryInputProps {
  value: string;
  /** Called on every edit, so the query model always holds what is shown. */
  onChange: (value: string) => void;
  /** Called when the editor loses focus; the usual moment to run the query. */
  onBlur: (value: string) => void;
  /** Shift+Enter. */
  onRunQuery: () => void;
  completionData: CompletionData;
  marker?: QueryMarker;
  ariaLabel: string;
  placeholder?: string;
}

const LINE_HEIGHT = 19;
const PADDING = 10;

/**
 * The Auth0 query as a Monaco code field: highlighting, completion, Shift+Enter to run and a
 * marker where the validator found an error. Grafana's CodeEditor keeps the callbacks it got at
 * mount, so the latest props are read through a ref.
 */
export function MonacoQueryInput(props: MonacoQueryInputProps) {
  const { value, onBlur, marker, ariaLabel, placeholder } = props;
  const styles = useStyles2(getStyles);
  const latest = useRef(props);
  useEffect(() => {
    latest.current = props;
  });
  const editorRef = useRef<MonacoEditor | null>(null);
  const monacoRef = useRef<Monaco | null>(null);
  const disposables = useRef<monacoTypes.IDisposable[]>([]);
  const [mounted, setMounted] = useState(false);

  const handleChange = useCallback((v: string) => latest.current.onChange(v), []);

  const handleMount = useCallback((editor: MonacoEditor, monaco: Monaco) => {
    editorRef.current = editor;
    monacoRef.current = monaco;
    const modelId = editor.getModel()?.id;
    if (modelId) {
      disposables.current.push(registerAuth0Completion(monaco, modelId, () => latest.current.completionData));
    }
    editor.addCommand(monaco.KeyMod.Shift | monaco.KeyCode.Enter, () => {
      latest.current.onChange(editor.getValue());
      latest.current.onRunQuery();
    });
    setMounted(true);
  }, []);

  const handleUnmount = useCallback(() => {
    disposables.current.forEach((d) => d.dispose());
    disposables.current = [];
  }, []);

  useEffect(() => {
    const monaco = monacoRef.current;
    const model = editorRef.current?.getModel();
    if (!mounted || !monaco || !model) {
      return;
    }
    const markers: monacoTypes.editor.IMarkerData[] = [];
    if (marker) {
      const start = model.getPositionAt(marker.start);
      const end = model.getPositionAt(marker.end);
      markers.push({
        severity: monaco.MarkerSeverity.Error,
        message: marker.message,
        startLineNumber: start.lineNumber,
        startColumn: start.column,
        endLineNumber: end.lineNumber,
        endColumn: end.column,
      });
    }
    monaco.editor.setModelMarkers(model, AUTH0_LANGUAGE_ID, markers);
  }, [mounted, marker, value]);

  const lines = Math.min(Math.max(value.split('\n').length, 1), 8);
  return (
    <div className={styles.wrapper}>
      <CodeEditor
        value={value}
        language={AUTH0_LANGUAGE_ID}
        height={lines * LINE_HEIGHT + PADDING}
        showLineNumbers={false}
        showMiniMap={false}
        wordWrap
        onBeforeEditorMount={registerAuth0Language}
        onEditorDidMount={handleMount}
        onEditorWillUnmount={handleUnmount}
        onChange={handleChange}
        onBlur={onBlur}
        monacoOptions={{
          ariaLabel,
          fontSize: 14,
          lineHeight: LINE_HEIGHT,
          renderLineHighlight: 'none',
          scrollBeyondLastLine: false,
          overviewRulerLanes: 0,
          hideCursorInOverviewRuler: true,
          scrollbar: { vertical: 'auto', horizontal: 'hidden', alwaysConsumeMouseWheel: false },
          suggest: { showWords: false },
        }}
      />
      {value === '' && placeholder && <div className={styles.placeholder}>{placeholder}</div>}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  wrapper: css({ position: 'relative', flexGrow: 1, minWidth: 0 }),
  placeholder: css({
    position: 'absolute',
    top: theme.spacing(0.5),
    left: theme.spacing(1),
    color: theme.colors.text.disabled,
    fontFamily: theme.typography.fontFamilyMonospace,
    fontSize: theme.typography.bodySmall.fontSize,
    pointerEvents: 'none',
    whiteSpace: 'nowrap',
    overflow: 'hidden',
  }),
});
