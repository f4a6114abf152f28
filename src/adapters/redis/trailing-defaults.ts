/**
 * `fields` without the trailing ones equal to their default (`defaults[i]` for `fields[i]`,
 * compared as JSON): positional wire forms leave them off, and their decoders fill them back in.
 */
export function withoutTrailingDefaults(fields: readonly unknown[], defaults: readonly unknown[]): unknown[] {
  let kept = fields.length;
  while (kept > 0 && JSON.stringify(fields[kept - 1]) === JSON.stringify(defaults[kept - 1])) kept -= 1;
  return fields.slice(0, kept);
}

/** `given` (a wire form's fields, maybe cut short) with the missing trailing ones at their defaults. */
export function withTrailingDefaults<T extends readonly unknown[]>(given: readonly unknown[], defaults: T): T {
  return defaults.map((value, index) => (index < given.length ? given[index] : value)) as unknown as T;
}
