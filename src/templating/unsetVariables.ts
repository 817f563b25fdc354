import { DataFrame } from '@grafana/data';

import { Auth0Query } from '../types';
import { scanReferences, VariableSource, VariableValue } from './interpolate';

/*
 * A panel whose variable nobody has chosen yet (the incident dashboard's User ID box starts
 * empty) would send user_id:"" and get the backend's 400 "empty value" in red. Such a query is
 * not run: the panel gets an empty answer that says what to choose.
 */

const LIST_REFERENCE = /\$\{(\w+)[^}]*\}|\[\[(\w+)[^\]]*\]\]|\$(\w+)/g;

function referencedNames(query: Auth0Query): string[] {
  const names = new Set<string>();
  if (query.query) {
    scanReferences(query.query, (out, ref) => {
      names.add(ref.name);
      return out + ref.text;
    });
  }
  const others = [
    ...(query.eventTypes ?? []),
    ...(query.categories ?? []),
    query.groupBy,
    query.distinctField,
    query.interval,
  ];
  for (const text of others) {
    for (const m of (text ?? '').matchAll(LIST_REFERENCE)) {
      names.add(m[1] ?? m[2] ?? m[3]);
    }
  }
  return [...names].filter((n) => !n.startsWith('__'));
}

function isEmpty(value: VariableValue | undefined): boolean {
  if (!value) {
    return false; // not a variable: Grafana leaves it as written, and the backend says what is wrong
  }
  if (value.kind === 'raw') {
    return value.text.trim() === '';
  }
  return value.values.every((v) => v.trim() === '');
}

/** The variables a query uses that hold no value yet, in the order they appear. */
export function unsetVariables(query: Auth0Query, source: VariableSource): string[] {
  return referencedNames(query).filter((name) => isEmpty(source.lookup(name)));
}

/** What the panel says, naming the box as the dashboard labels it. */
export function chooseMessage(name: string, label?: string): string {
  const box = label && label !== name ? `"${label}" box ($${name})` : `$${name} box`;
  return `Choose a value in the ${box} above: this panel shows nothing until then.`;
}

/** The answer for a query that was not run: no rows, and the message as a notice. */
export function waitingFrame(refId: string, message: string): DataFrame {
  return { refId, name: refId, fields: [], length: 0, meta: { notices: [{ severity: 'info', text: message }] } };
}
