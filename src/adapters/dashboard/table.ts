import { html, type Html } from './html.js';

/** A cell: plain text, or text with the markup the page shows it as (a link, a live clock); CSV takes the text. */
export type Cell = string | number | { readonly text: string; readonly html: Html };

/** A table the page shows and `export.csv` downloads, built once from the same data. */
export interface Table {
  readonly id: string;
  readonly caption: string;
  readonly head: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Rows the page shows at most (the CSV has them all). */
  readonly shown?: number;
  /** Rows in all, when `rows` holds only those the page shows (the Now page builds no markup for rows it does not show). */
  readonly total?: number;
  /** What an empty table says instead, with what to do. */
  readonly empty: string | Html;
  /** Attributes of each row (the Now page's live rows). */
  readonly rowAttributes?: (index: number) => Html;
}

export function renderTable(table: Table, csv: Html): Html {
  if (table.rows.length === 0) return html`<section class="table" id="${table.id}"><h2>${table.caption}</h2><p class="empty">${table.empty}</p></section>`;
  const shown = table.rows.slice(0, table.shown ?? table.rows.length);
  const total = table.total ?? table.rows.length;
  const more = total - shown.length;
  return html`<section class="table" id="${table.id}">
<h2>${table.caption} <span class="count">(${total})</span></h2>
<div class="scroll" tabindex="0" role="region" aria-label="${table.caption}">
<table>
<thead><tr>${table.head.map((head) => html`<th scope="col">${head}</th>`)}</tr></thead>
<tbody>${shown.map((row, index) => html`<tr${table.rowAttributes ? table.rowAttributes(index) : ''}>${row.map(renderCell)}</tr>`)}</tbody>
</table>
</div>
<p class="table-foot">${more > 0 ? html`Showing the first ${shown.length} of ${total}; the CSV has them all. ` : ''}${csv}</p>
</section>`;
}

export function renderCell(cell: Cell): Html {
  return typeof cell === 'object' ? html`<td>${cell.html}</td>` : html`<td>${cell}</td>`;
}

/**
 * RFC 4180 CSV with a header row. A text cell starting with = + - @ (or a tab or return) is prefixed
 * with ' so a spreadsheet does not run customer text as a formula.
 */
export function tableCsv(table: Table): string {
  const line = (cells: readonly Cell[]): string => cells.map((cell) => (typeof cell === 'number' ? String(cell) : csvField(typeof cell === 'object' ? cell.text : cell))).join(',');
  return `${[line(table.head), ...table.rows.map(line)].join('\r\n')}\r\n`;
}

function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
