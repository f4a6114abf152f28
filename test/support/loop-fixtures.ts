import type { Effect, LoopEvent, LoopPolicy, LoopState, TimerKind, Transition } from '../../src/core/loop/loop-types.js';
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

/** One of each kind of event a person or Zendesk sends a loop (an ETA 5 h after `t0`), for property tests that replay random sequences of them. */
export function sampleLoopEvents(t0: number): LoopEvent[] {
  return [
    { type: 'acknowledge', user: 'U1' },
    { type: 'post_update', user: 'U1', text: 'on it', etaAt: t0 + 5 * 3_600_000 },
    { type: 'snooze', user: 'U1', durationMs: 2 * 3_600_000 },
    { type: 'status_changed', status: 'pending' },
    { type: 'reprioritised', tier: 'critical' },
    { type: 'status_changed', status: 'solved' },
    { type: 'csat', score: 'bad' },
    { type: 'reassign', user: 'U2', category: 'performance_issue' },
    { type: 'status_changed', status: 'open' },
    { type: 'agent_comment', agentId: 7, public: true },
  ];
}
