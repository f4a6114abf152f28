import { Counter, type Registry } from 'prom-client';
import type { LoopMetrics } from '../../app/ports.js';

/** LoopMetrics on prom-client, registered in the /metrics registry. */
export function createPromLoopMetrics(registry: Registry): LoopMetrics {
  const counter = (name: string, help: string, labelNames: string[]) => new Counter({ name, help, labelNames, registers: [registry] });
  const transitions = counter('cxloop_loop_transitions_total', 'Loop events by event and outcome (applied, rejected, duplicate)', ['event', 'outcome']);
  const stages = counter('cxloop_loop_stage_entered_total', 'Loops entering each stage', ['stage']);
  const effects = counter('cxloop_loop_effects_total', 'Loop effects carried out, by type', ['type']);
  const updates = counter('cxloop_loop_status_updates_total', 'Status updates: manual (by a person) or overdue (automatic, at the cadence breach)', ['kind']);
  const escalations = counter('cxloop_loop_escalations_total', 'Escalations by ladder level', ['level']);
  return {
    transition: (event, outcome) => transitions.inc({ event, outcome }),
    stageEntered: (stage) => stages.inc({ stage }),
    effect: (type) => effects.inc({ type }),
    statusUpdate: (kind) => updates.inc({ kind }),
    escalation: (level) => escalations.inc({ level: String(level) }),
  };
}
