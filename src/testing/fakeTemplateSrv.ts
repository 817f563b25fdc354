import { ScopedVars, TypedVariableModel } from '@grafana/data';
import { TemplateSrv, VariableInterpolation } from '@grafana/runtime';

/** A dashboard variable as the fake knows it. */
export interface FakeVariable {
  /** The selection; '$__all' selects every option. */
  current: string | string[];
  options?: string[];
  /** A custom all value, returned verbatim as Grafana does. */
  allValue?: string;
}

const REF = /\$\{(\w+)(?::(\w+))?\}|\[\[(\w+)(?::(\w+))?\]\]|\$(\w+)/g;

/**
 * A TemplateSrv that behaves like Grafana's where this plugin relies on it: a format function gets
 * an array for multi-value selections, "All" without a custom all value passes every option, a
 * custom all value bypasses the format function, and unknown names are left as written.
 */
export function fakeTemplateSrv(vars: Record<string, FakeVariable>): TemplateSrv {
  const replace = (
    target?: string,
    scopedVars?: ScopedVars,
    format?: string | Function,
    interpolations?: VariableInterpolation[]
  ): string =>
    (target ?? '').replace(REF, (match, n1, f1, n2, f2, n3) => {
      const name: string = n1 ?? n2 ?? n3;
      const fmt: string | Function | undefined = f1 ?? f2 ?? format;
      const scoped = scopedVars?.[name];
      const v = vars[name];
      if (!v && !scoped) {
        interpolations?.push({ match, variableName: name, value: match, found: false });
        return match;
      }
      let value: string | string[] = scoped ? scoped.value : v.current;
      const isAll = value === '$__all' || (Array.isArray(value) && value.includes('$__all'));
      if (isAll && v?.allValue !== undefined) {
        interpolations?.push({ match, variableName: name, value: v.allValue, found: true });
        return v.allValue;
      }
      if (isAll) {
        value = v?.options ?? [];
      }
      let out: string;
      if (typeof fmt === 'function') {
        out = fmt(value, { name });
      } else if (fmt === 'raw' || fmt === 'csv') {
        out = Array.isArray(value) ? value.join(',') : value;
      } else {
        out = Array.isArray(value) ? `{${value.join(',')}}` : value;
      }
      interpolations?.push({ match, variableName: name, value: out, found: true });
      return out;
    });
  return {
    getVariables: () => Object.keys(vars).map((name) => ({ name }) as TypedVariableModel),
    replace,
    containsTemplate: (target?: string) => !!target && REF.test(target),
    updateTimeRange: () => {},
  };
}
