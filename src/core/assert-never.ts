/**
 * The `default` of a switch over a closed list (a const array's values, a union's `type`): a case
 * the switch forgets leaves `value` not `never`, and `tsc` fails there. At run time it can only be
 * reached by data from outside the types (an old job payload), and says what it was.
 */
export function assertNever(value: never, what: string): never {
  throw new Error(`unhandled ${what}: ${JSON.stringify(value)?.slice(0, 200)}`);
}
