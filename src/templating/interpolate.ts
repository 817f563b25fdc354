/*
 * Template-variable interpolation for Auth0 log search queries. Pure: it knows Auth0's query syntax
 * but nothing of Grafana's services, which reach it through a VariableSource. Grafana's generic
 * formats cannot do this job because the right output depends on where the variable stands: after
 * "ip:" a multi-value variable must become (ip:"a" OR ip:"b"), inside quotes it must only be escaped.
 */

/** What a variable currently holds. */
export type VariableValue =
  /** The selected values; "All" without a custom all value lists every option. */
  | { kind: 'values'; values: string[] }
  /** A custom all value (or other preformatted text), inserted verbatim as the user wrote it. */
  | { kind: 'raw'; text: string };

/** Where variable values come from; the datasource backs it with Grafana's TemplateSrv. */
export interface VariableSource {
  /** The value of a dashboard or scoped variable; undefined when the name is not one. */
  lookup(name: string): VariableValue | undefined;
  /** Grafana's own interpolation of one reference, for what this module leaves alone. */
  passthrough(reference: string): string;
}

/** A variable reference found in the text. */
export interface VariableReference {
  /** The reference as written, e.g. "${ip:csv}". */
  text: string;
  name: string;
  /** Explicit format such as "raw" or "csv"; the user chose Grafana's formatting. */
  format?: string;
  /** "${var.field}" path; only Grafana knows how to read it. */
  fieldPath?: string;
}

/** Where a reference stands in the query. */
export type ReferenceContext =
  /** Right after "field:", e.g. ip:$ip. */
  | { kind: 'field'; field: string; prefix: string }
  /** Inside a quoted phrase. */
  | { kind: 'quoted' }
  /** Inside a range, e.g. date:[$start TO *]. */
  | { kind: 'range' }
  /** A free-standing term. */
  | { kind: 'bare' };

// The alternatives Grafana recognises: ${name.path:format}, [[name:format]] and $name.
const REFERENCE = /\$\{(\w+)(?:\.([^:}]+))?(?::([^}]+))?\}|\[\[(\w+?)(?::(\w+))?\]\]|\$(\w+)/y;

// A field name directly before the reference. The character before it must not be part of a word,
// so "ip:" is matched in "NOT ip:" and "-ip:" but nothing is matched in "a.b.c:" halfway.
const FIELD_PREFIX = /(?:^|[^\w.])([A-Za-z_][\w.-]*):$/;

type ReferenceHandler = (out: string, ref: VariableReference, context: ReferenceContext) => string;

/**
 * Calls handle for every variable reference, tracking quotes, escapes and ranges, and returns the
 * text with each reference replaced by what handle appended. handle receives the output so far so
 * it can rewrite a field prefix it turns into a group.
 */
export function scanReferences(query: string, handle: ReferenceHandler): string {
  let out = '';
  let inQuote = false;
  let rangeDepth = 0;
  let i = 0;
  while (i < query.length) {
    const c = query[i];
    if (c === '\\' && i + 1 < query.length) {
      out += query.slice(i, i + 2); // an escaped character is never syntax
      i += 2;
      continue;
    }
    if (c === '$' || (c === '[' && query[i + 1] === '[')) {
      REFERENCE.lastIndex = i;
      const m = REFERENCE.exec(query);
      if (m) {
        out = handle(out, toReference(m), contextOf(out, inQuote, rangeDepth));
        i += m[0].length;
        continue;
      }
    }
    if (c === '"') {
      inQuote = !inQuote;
    } else if (!inQuote && (c === '[' || c === '{')) {
      rangeDepth++;
    } else if (!inQuote && (c === ']' || c === '}') && rangeDepth > 0) {
      rangeDepth--;
    }
    out += c;
    i++;
  }
  return out;
}

function toReference(m: RegExpExecArray): VariableReference {
  if (m[1] !== undefined) {
    return { text: m[0], name: m[1], fieldPath: m[2], format: m[3] };
  }
  if (m[4] !== undefined) {
    return { text: m[0], name: m[4], format: m[5] };
  }
  return { text: m[0], name: m[6] };
}

function contextOf(out: string, inQuote: boolean, rangeDepth: number): ReferenceContext {
  if (inQuote) {
    return { kind: 'quoted' };
  }
  if (rangeDepth > 0) {
    return { kind: 'range' };
  }
  const m = FIELD_PREFIX.exec(out);
  if (m) {
    return { kind: 'field', field: m[1], prefix: `${m[1]}:` };
  }
  return { kind: 'bare' };
}

/** Escapes text for use inside an Auth0 quoted phrase: only the quote and the backslash are special. */
export function escapePhrase(value: string): string {
  return value.replace(/[\\"]/g, (c) => `\\${c}`);
}

/** Quotes a value so every Auth0 special character in it (: * ( ) [ ] spaces, AND/OR) is literal. */
export function quoteValue(value: string): string {
  return `"${escapePhrase(value)}"`;
}

/**
 * Interpolates template variables into an Auth0 query. Values are quoted and escaped, so a
 * variable can never change the query's structure; a multi-value variable after "field:" expands
 * to (field:"a" OR field:"b"), and a bare one to ("a" OR "b"). References with an explicit format
 * (${ip:raw}), with a field path, inside ranges, or naming no variable go to Grafana unchanged;
 * a custom all value is inserted verbatim (note the backend rejects a lone *). An empty selection
 * gives "", which the backend reports as an empty value rather than silently matching everything.
 */
export function interpolateQuery(query: string, source: VariableSource): string {
  return scanReferences(query, (out, ref, context) => {
    const value = ref.format || ref.fieldPath || context.kind === 'range' ? undefined : source.lookup(ref.name);
    if (!value) {
      return out + source.passthrough(ref.text);
    }
    if (value.kind === 'raw') {
      return out + value.text;
    }
    const values = value.values;
    switch (context.kind) {
      case 'quoted':
        return out + values.map(escapePhrase).join(',');
      case 'field':
        if (values.length <= 1) {
          return out + quoteValue(values[0] ?? '');
        }
        return (
          out.slice(0, out.length - context.prefix.length) +
          `(${values.map((v) => `${context.field}:${quoteValue(v)}`).join(' OR ')})`
        );
      default:
        if (values.length <= 1) {
          return out + quoteValue(values[0] ?? '');
        }
        return out + `(${values.map(quoteValue).join(' OR ')})`;
    }
  });
}

/**
 * Replaces every variable reference with a placeholder of the same length, so the backend's
 * validator can check a query that still holds variables and its error offsets stay true for the
 * text the user sees. Outside quotes and ranges the placeholder is a quoted phrase, valid wherever
 * a value is; in a range it is an open bound.
 */
export function maskVariables(query: string): string {
  return scanReferences(query, (out, ref, context) => {
    const n = ref.text.length;
    if (context.kind === 'quoted') {
      return out + 'x'.repeat(n);
    }
    if (context.kind === 'range') {
      // A bound must parse as a date for date ranges; an open bound (*) is valid for every field.
      return out + '*' + ' '.repeat(n - 1);
    }
    return out + `"${'x'.repeat(Math.max(n - 2, 0))}"`;
  });
}

const WHOLE_REFERENCE = /^(?:\$(\w+)|\$\{(\w+)\}|\[\[(\w+)\]\])$/;

/**
 * Interpolates a list such as eventTypes: an entry that is exactly one variable becomes one entry
 * per selected value; other entries go through Grafana. Empty entries and duplicates are dropped,
 * and the order is kept.
 */
export function interpolateList(entries: string[] | undefined, source: VariableSource): string[] | undefined {
  if (!entries) {
    return entries;
  }
  const result: string[] = [];
  for (const entry of entries) {
    const m = WHOLE_REFERENCE.exec(entry.trim());
    const value = m ? source.lookup(m[1] ?? m[2] ?? m[3]) : undefined;
    let expanded: string[];
    if (value?.kind === 'values') {
      expanded = value.values;
    } else if (value?.kind === 'raw') {
      expanded = value.text.split(',');
    } else if (entry.includes('$') || entry.includes('[[')) {
      expanded = [source.passthrough(entry)];
    } else {
      expanded = [entry];
    }
    for (const v of expanded.map((s) => s.trim())) {
      if (v !== '' && !result.includes(v)) {
        result.push(v);
      }
    }
  }
  return result;
}
