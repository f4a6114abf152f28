import { basename } from 'node:path';
import { CliError, type CliIo } from './io.js';
import { DatasetError, readLabeledCsv, type LabeledRow, type RowProblem } from './read-labeled-csv.js';

const MAX_PROBLEMS_SHOWN = 20;

/** Progress of a long pass over a file's rows on stderr: in place on a terminal, every 10,000 rows otherwise. */
export function rowProgress(file: string, io: CliIo): (stage: string, rows: number) => void {
  return (stage, rows) => {
    if (io.stderr.isTTY) io.stderr.write(`\r${basename(file)}: ${stage} ${rows} rows`);
    else if (rows % 10_000 === 0) io.stderr.write(`${basename(file)}: ${stage} ${rows} rows\n`);
  };
}

/** Reads a labelled CSV for a command: unusable rows are reported on stderr (line and why) and skipped. */
export async function readLabeledRowsWithProblems(file: string, io: CliIo): Promise<{ rows: LabeledRow[]; skipped: RowProblem[] }> {
  const progress = rowProgress(file, io);
  let read;
  try {
    read = await readLabeledCsv(file, (rows) => progress('read', rows));
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message, 1, { cause: error });
    throw error;
  }
  for (const problem of read.problems.slice(0, MAX_PROBLEMS_SHOWN)) io.stderr.write(`${file}:${problem.line}: skipped row: ${problem.message}\n`);
  if (read.problems.length > MAX_PROBLEMS_SHOWN) io.stderr.write(`${file}: ... and ${read.problems.length - MAX_PROBLEMS_SHOWN} more skipped rows\n`);
  return { rows: read.rows, skipped: read.problems };
}

export async function readLabeledRowsOrFail(file: string, io: CliIo): Promise<LabeledRow[]> {
  return (await readLabeledRowsWithProblems(file, io)).rows;
}
