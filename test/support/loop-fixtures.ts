import type { Effect, LoopPolicy, LoopState, TimerKind, Transition } from '../../src/core/loop/loop-types.js';
import { transition } from '../../src/core/loop/transition.js';

/** The accepted transition's state and effects; a rejection fails the test with its reason. */
export function accepted(result: Transition): { state: LoopState; effects: readonly Effect[] } {
  if (!result.ok) throw new Error(`rejected: ${result.reason}`);
  return result;
}

/** Fires a pending timer at its due time. */
export function fireTimer(state: LoopState, kind: TimerKind, policy: LoopPolicy): { state: LoopState; effects: readonly Effect[] } {
  const at = state.timers[kind];
  if (at === undefined) throw new Error(`no ${kind} timer in ${JSON.stringify(state.timers)}`);
  return accepted(transition(state, { type: 'timer', kind, dueAt: at }, at, policy));
}

/** The first effect of a type; its absence fails the test with the effects there were. */
export function effectOf<T extends Effect['type']>(effects: readonly Effect[], type: T): Extract<Effect, { type: T }> {
  const found = effects.find((effect): effect is Extract<Effect, { type: T }> => effect.type === type);
  if (!found) throw new Error(`no ${type} effect in ${JSON.stringify(effects)}`);
  return found;
}
