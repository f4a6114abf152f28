import { parseArgs } from 'node:util';
import { createClassifier } from '../../app/create-classifier.js';
import type { Decision } from '../../core/classify/classifier.js';
import { formatDuration } from '../../core/duration.js';
import type { Ticket } from '../../core/ticket.js';
import type { Policy } from '../../config/policy-schema.js';
import { CliError, type CliIo } from '../io.js';
import { loadPolicyOrFail, policyPathOf } from '../load-policy-or-fail.js';
import { parseTicketInput } from '../ticket-input.js';

export const CLASSIFY_USAGE = `Usage: cxloop classify "<text>" [--subject <s>] [--json] [--config <policy>]
       echo '{"subject":"...","description":"..."}' | cxloop classify [--json]
Prints the category, confidence, tier and owner of a ticket, and which rules fired.`;

export async function runClassify(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: 'boolean' }, subject: { type: 'string' }, config: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  if (values.help) {
    io.stdout.write(`${CLASSIFY_USAGE}\n`);
    return 0;
  }
  const ticket = await readTicket(positionals, values.subject, io);
  const policy = await loadPolicyOrFail(policyPathOf(values.config, io.env));
  const decision = createClassifier(policy).classify(ticket);
  const owner = ownerOf(policy, decision);
  io.stdout.write(values.json ? `${JSON.stringify({ ...decision, owner }, null, 2)}\n` : formatDecision(decision, owner));
  return 0;
}

async function readTicket(positionals: string[], subject: string | undefined, io: CliIo): Promise<Ticket> {
  if (positionals.length > 0) return { subject: subject ?? '', description: positionals.join(' ') };
  const input = await io.readStdin();
  if (input === undefined || input.trim() === '') {
    throw new CliError(`nothing to classify: give the text as an argument or a JSON ticket on stdin\n${CLASSIFY_USAGE}`, 2);
  }
  let json: unknown;
  try {
    json = JSON.parse(input);
  } catch (error) {
    throw new CliError(`stdin is not valid JSON (${(error as Error).message}); expected a ticket like {"subject":"...","description":"..."}`, 2);
  }
  const parsed = parseTicketInput(json);
  if (!parsed.ok) throw new CliError(`invalid ticket on stdin:\n  ${parsed.problems.join('\n  ')}`, 2);
  return subject === undefined ? parsed.ticket : { ...parsed.ticket, subject };
}

interface Owner {
  readonly team: string;
  readonly slackChannel: string;
  readonly zendeskGroupId: number | null;
  readonly acknowledge: { readonly remind: string; readonly breach: string };
  readonly zendeskPriority: string;
  readonly resolveWithin: string;
}

function ownerOf(policy: Policy, decision: Decision): Owner {
  const category = policy.categories[decision.category];
  const tier = policy.tiers[decision.tier];
  return {
    team: category.team,
    slackChannel: category.slack_channel,
    zendeskGroupId: category.zendesk_group_id,
    acknowledge: { remind: formatDuration(category.acknowledge.remind), breach: formatDuration(category.acknowledge.breach) },
    zendeskPriority: tier.zendesk_priority,
    resolveWithin: formatDuration(tier.resolve),
  };
}

function formatDecision(decision: Decision, owner: Owner): string {
  const lines = [
    `category    ${decision.category}  (confidence ${decision.confidence.toFixed(2)}${decision.category !== decision.bestGuess ? `, best guess ${decision.bestGuess}` : ''})`,
    `tier        ${decision.tier}  (${decision.tierReasons.join('; ')})`,
    `owner       ${owner.team}  ${owner.slackChannel}${owner.zendeskGroupId === null ? '' : `  Zendesk group ${owner.zendeskGroupId}`}`,
    `SLA         acknowledge: remind ${owner.acknowledge.remind}, breach ${owner.acknowledge.breach}; resolve within ${owner.resolveWithin}; Zendesk priority ${owner.zendeskPriority}`,
  ];
  if (decision.evidence.length > 0) {
    lines.push('evidence');
    for (const item of decision.evidence.slice(0, 12)) {
      const where = item.part ? ` in ${item.part}` : '';
      const source = item.source === 'any' ? '' : ` [${item.source}]`;
      lines.push(`  ${item.for.padEnd(22)} ${item.rule} ${JSON.stringify(item.value)}${source}${where}${item.count > 1 ? ` x${item.count}` : ''}  +${round(item.weight)}`);
    }
    if (decision.evidence.length > 12) lines.push(`  ... ${decision.evidence.length - 12} more`);
  }
  if (decision.negated.length > 0) {
    lines.push(`negated     ${decision.negated.map((item) => `${JSON.stringify(item.value)} [${item.source}] (${item.for})`).join(', ')}`);
  }
  const scored = Object.entries(decision.scores).filter(([, score]) => score > 0);
  lines.push(`scores      ${scored.length > 0 ? scored.map(([category, score]) => `${category} ${round(score)}`).join(', ') : 'none'}`);
  return `${lines.join('\n')}\n`;
}

function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
