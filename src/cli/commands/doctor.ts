import { parseArgs } from 'node:util';
import type { CliIo } from '../io.js';
import { doctorReportJson, formatDoctorReport } from './doctor/format-doctor-report.js';
import { runDoctorChecks } from './doctor/run-doctor-checks.js';

export const DOCTOR_USAGE = `Usage: cxloop doctor [--config <policy>] [--json]
Checks what cxloop needs and says what is wrong and how to fix it: the environment, dry-run or
live, Redis (reachable, version, maxmemory-policy, workers, the stored learned model), the policy file, the Zendesk and
Slack credentials (who they are, groups, scopes) and CXLOOP_PUBLIC_URL (GET /healthz).
Secrets are never printed. Exits 1 when any check FAILs, else 0 (warnings included).
  --config <policy>  the policy file (default: $CXLOOP_CONFIG, else the shipped config/policy.yaml)
  --json             the results as JSON`;

export async function runDoctor(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { config: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    io.stdout.write(`${DOCTOR_USAGE}\n`);
    return 0;
  }
  const results = await runDoctorChecks(io.env, values.config);
  io.stdout.write(values.json ? doctorReportJson(results) : formatDoctorReport(results));
  return results.some((result) => result.status === 'fail') ? 1 : 0;
}
