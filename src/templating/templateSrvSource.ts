import { ScopedVars } from '@grafana/data';
import { TemplateSrv, VariableInterpolation } from '@grafana/runtime';

import { VariableSource, VariableValue } from './interpolate';

/**
 * Backs a VariableSource with Grafana's TemplateSrv. Values are read through a format function, the
 * one hook that hands over a multi-value selection as an array rather than preformatted text, and
 * that works for both dashboard and scoped (repeat) variables.
 */
export function templateSrvSource(templateSrv: TemplateSrv, scopedVars?: ScopedVars): VariableSource {
  return {
    lookup(name: string): VariableValue | undefined {
      // Built-ins such as $__from or $__interval are not values to quote.
      if (name.startsWith('__')) {
        return undefined;
      }
      const reference = `\${${name}}`;
      const interpolations: VariableInterpolation[] = [];
      let captured: string[] | undefined;
      const text = templateSrv.replace(
        reference,
        scopedVars,
        (value: unknown) => {
          captured = toStrings(value);
          return '';
        },
        interpolations
      );
      if (captured) {
        return { kind: 'values', values: captured };
      }
      // The format function is skipped for a custom all value, which comes back as written.
      const found = interpolations.find((i) => i.variableName === name)?.found ?? text !== reference;
      return found ? { kind: 'raw', text } : undefined;
    },
    passthrough(reference: string): string {
      return templateSrv.replace(reference, scopedVars);
    },
  };
}

function toStrings(value: unknown): string[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (Array.isArray(value)) {
    return value.map((v) => String(v));
  }
  return [String(value)];
}
