import type { DoctorResult, DoctorStatus } from './doctor-result.js';

const LABELS: Readonly<Record<DoctorStatus, string>> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' };
const LABEL_WIDTH = 6;
const NAME_WIDTH = 17;

export type DoctorSummary = Readonly<Record<DoctorStatus, number>>;

export function summarizeDoctor(results: readonly DoctorResult[]): DoctorSummary {
  const summary = { ok: 0, warn: 0, fail: 0, skip: 0 };
  for (const result of results) summary[result.status] += 1;
  return summary;
}

/** One line per check, an indented `fix:` line under those with a fix, and a summary line. */
export function formatDoctorReport(results: readonly DoctorResult[]): string {
  const lines = results.flatMap((result) => [
    `${LABELS[result.status].padEnd(LABEL_WIDTH)}${result.name.padEnd(NAME_WIDTH)}${result.detail}`,
    ...(result.fix ? [`${' '.repeat(LABEL_WIDTH)}fix: ${result.fix}`] : []),
  ]);
  const { ok, warn, fail, skip } = summarizeDoctor(results);
  const verdict = fail > 0 ? 'cxloop will not work until the FAIL lines are fixed' : warn > 0 ? 'no failures; read the warnings' : 'everything checked is fine';
  const counts = `${ok} ok, ${warn} warning${warn === 1 ? '' : 's'}, ${fail} failed, ${skip} skipped`;
  return `${lines.join('\n')}\n\n${counts}: ${verdict}\n`;
}

/** The --json shape: `ok` is false when any check failed. */
export function doctorReportJson(results: readonly DoctorResult[]): string {
  const summary = summarizeDoctor(results);
  return `${JSON.stringify({ ok: summary.fail === 0, summary, checks: results }, null, 2)}\n`;
}
