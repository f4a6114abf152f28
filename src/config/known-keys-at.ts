import type { z } from 'zod';

/** The parts of a zod 4 schema definition this walk reads. */
interface Node {
  readonly _zod: {
    readonly def: {
      readonly type: string;
      readonly shape?: Readonly<Record<string, Node>>;
      readonly innerType?: Node;
      readonly in?: Node;
      readonly valueType?: Node;
      readonly element?: Node;
    };
  };
}

/** Wrappers whose value is their inner schema's: defaults, optional, nullable, transforms. */
const WRAPPERS = new Set(['default', 'prefault', 'optional', 'nullable', 'nonoptional', 'readonly', 'catch']);

/**
 * The keys the object schema at `path` allows (`teams.support` -> hours, escalation, members), or
 * none when the path leads to no object. Used to suggest the key a typo meant.
 */
export function knownKeysAt(schema: z.core.$ZodType, path: readonly PropertyKey[]): string[] {
  let node: Node | undefined = unwrap(schema as unknown as Node);
  for (const segment of path) {
    const def: Node['_zod']['def'] = node._zod.def;
    if (def.type === 'object') node = def.shape?.[String(segment)];
    else if (def.type === 'record') node = def.valueType;
    else if (def.type === 'array') node = def.element;
    else node = undefined;
    if (node === undefined) return [];
    node = unwrap(node);
  }
  return node._zod.def.type === 'object' ? Object.keys(node._zod.def.shape ?? {}) : [];
}

function unwrap(node: Node): Node {
  let current = node;
  for (;;) {
    const def = current._zod.def;
    const inner = WRAPPERS.has(def.type) ? def.innerType : def.type === 'pipe' ? def.in : undefined;
    if (inner === undefined) return current;
    current = inner;
  }
}
