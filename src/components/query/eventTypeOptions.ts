import { ComboboxOption } from '@grafana/ui';

import { EventTypeCatalog } from '../../resources';

/**
 * Event-type options grouped by category, in the catalog's category order (sign-in path first),
 * codes alphabetical within a group, legacy codes last in theirs.
 */
export function eventTypeOptions(catalog: EventTypeCatalog): Array<ComboboxOption<string>> {
  const order = new Map(catalog.categories.map((c, i) => [c.id, i]));
  const names = new Map(catalog.categories.map((c) => [c.id, c.name]));
  return [...catalog.types]
    .sort(
      (a, b) =>
        (order.get(a.category) ?? order.size) - (order.get(b.category) ?? order.size) ||
        Number(a.legacy) - Number(b.legacy) ||
        a.code.localeCompare(b.code)
    )
    .map((t) => ({
      value: t.code,
      label: `${t.code} — ${t.name}`,
      description: t.legacy ? `Legacy code. ${t.description}`.trim() : t.description || undefined,
      group: names.get(t.category) ?? t.category,
    }));
}

/**
 * The selected values as options: known codes with their names, anything else (a variable such as
 * $types, or a code the catalog does not know yet) as itself, so nothing selected is hidden.
 */
export function selectedOptions(
  values: string[] | undefined,
  options: Array<ComboboxOption<string>>
): Array<ComboboxOption<string>> {
  const byValue = new Map(options.map((o) => [o.value, o]));
  return (values ?? []).map((v) => byValue.get(v) ?? { value: v, label: v });
}

/** Category options, in the catalog's order. */
export function categoryOptions(catalog: EventTypeCatalog): Array<ComboboxOption<string>> {
  return catalog.categories.map((c) => ({ value: c.id, label: c.name, description: c.description }));
}

/** Whether the selection is exactly a preset's codes, in any order. */
export function isPresetSelected(selected: string[] | undefined, codes: string[]): boolean {
  if (!selected || selected.length !== codes.length) {
    return false;
  }
  const set = new Set(selected);
  return codes.every((c) => set.has(c));
}
