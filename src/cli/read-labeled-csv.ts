import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { parse, type Info } from 'csv-parse';
import { isCategoryId, type CategoryId } from '../core/taxonomy.js';

/** One labeled row of the shared dataset format `id,subject,body,language,category`. */
export interface LabeledRow {
  readonly id: string;
  readonly subject: string;
  readonly body: string;
  readonly language: string;
  readonly category: CategoryId;
  readonly line: number;
}

export interface RowProblem {
  readonly line: number;
  readonly message: string;
}

export class DatasetError extends Error {
  readonly code = 'DATASET_INVALID';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatasetError';
  }
}

const REQUIRED_COLUMNS = ['body', 'category'] as const;
type Column = (typeof REQUIRED_COLUMNS)[number] | 'id' | 'subject' | 'language';

/**
 * Streams a labeled CSV (RFC 4180, header row). Rows that cannot be used are reported with their
 * line number and skipped; a missing file or required column throws a DatasetError.
 */
export async function readLabeledCsv(
  path: string,
  onProgress?: (rows: number) => void,
): Promise<{ rows: LabeledRow[]; problems: RowProblem[] }> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new DatasetError(`${path} is not a file`);
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(`${path}: file not found or not readable`, { cause: error });
  }

  const rows: LabeledRow[] = [];
  const problems: RowProblem[] = [];
  let header: string[] | undefined;
  const parser = createReadStream(path).pipe(
    parse({
      bom: true,
      relax_column_count: true,
      skip_empty_lines: true,
      skip_records_with_error: true,
      info: true,
    }),
  );
  parser.on('skip', (error: Error & { lines?: number }) => {
    problems.push({ line: error.lines ?? 0, message: error.message });
  });

  for await (const record of parser as AsyncIterable<{ record: string[]; info: Info }>) {
    const fields = record.record;
    const line = record.info.lines;
    if (!header) {
      header = fields.map((field) => field.trim().toLowerCase());
      const missing = REQUIRED_COLUMNS.filter((column) => !header?.includes(column));
      if (missing.length > 0) {
        throw new DatasetError(
          `${path}: missing column(s) ${missing.join(', ')}; expected a header like id,subject,body,language,category (found: ${header.join(',')})`,
        );
      }
      continue;
    }
    if (fields.length !== header.length) {
      problems.push({ line, message: `expected ${header.length} fields, found ${fields.length}` });
      continue;
    }
    const value = (column: Column): string => {
      const index = header?.indexOf(column) ?? -1;
      return index === -1 ? '' : (fields[index] ?? '');
    };
    const category = value('category').trim();
    if (!isCategoryId(category)) {
      problems.push({ line, message: `unknown category "${category.slice(0, 40)}"` });
      continue;
    }
    if (value('subject').trim() === '' && value('body').trim() === '') {
      problems.push({ line, message: 'subject and body are both empty' });
      continue;
    }
    rows.push({
      id: value('id') || `line-${line}`,
      subject: value('subject'),
      body: value('body'),
      language: value('language').trim() || 'unknown',
      category,
      line,
    });
    if (onProgress && rows.length % 1000 === 0) onProgress(rows.length);
  }
  if (!header) throw new DatasetError(`${path}: the file is empty (expected a header row)`);
  return { rows, problems };
}
