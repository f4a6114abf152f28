import { createHash } from 'node:crypto';
import type { StatusPageTexts } from '../../core/customers/customer-texts.js';
import { formatCustomerTime } from '../../core/customers/fill-customer-template.js';
import type { StatusView } from '../../core/customers/status-view.js';

/**
 * The status page as plain HTML: no script, one inline style sheet (allowed by its hash in the
 * Content-Security-Policy), readable on a phone. Only the subject is customer text, and it is
 * escaped; nothing else about the customer is on the page.
 */
const STYLE = [
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f5f6f8;color:#1f2933}',
  'main{max-width:36rem;margin:0 auto;padding:1.5rem 1rem}',
  'h1{font-size:1.25rem;margin:0 0 .25rem}',
  '.subject{margin:0 0 1.25rem;color:#52606d;overflow-wrap:anywhere}',
  '.stage{background:#fff;border-left:.3rem solid #2f80ed;border-radius:.4rem;padding:1rem;margin:0 0 1rem;font-size:1.15rem;font-weight:600}',
  '.stage.done{border-color:#27ae60}',
  'dl{background:#fff;border-radius:.4rem;padding:.5rem 1rem;margin:0 0 1rem}',
  'dl div{display:flex;flex-wrap:wrap;justify-content:space-between;gap:.25rem 1rem;padding:.5rem 0;border-bottom:1px solid #e4e7eb}',
  'dl div:last-child{border-bottom:0}',
  'dt{color:#52606d}dd{margin:0;font-weight:600}',
  'footer{font-size:.875rem;color:#52606d}',
].join('');

/** The Content-Security-Policy of every status page: nothing but that style sheet. */
export const STATUS_PAGE_CSP = `default-src 'none'; style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`;

/** Seconds between reloads the page asks for by itself (no script needed to stay current). */
const REFRESH_S = 300;

export interface StatusPageInput {
  readonly view: StatusView;
  readonly subject: string | null;
  readonly language: string;
  readonly timeZone: string;
  readonly texts: StatusPageTexts;
}

export function renderStatusPage(input: StatusPageInput): string {
  const { view, texts } = input;
  const time = (at: number | null) => (at === null ? texts.none : formatCustomerTime(at, { locale: input.language, timeZone: input.timeZone }));
  const done = view.stage === 'acted' || view.stage === 'verified';
  const rows: [string, string][] = [
    [texts.lastUpdate, time(view.lastUpdateAt)],
    [texts.nextUpdate, time(view.nextUpdateAt)],
    [texts.eta, time(view.etaAt)],
  ];
  const body = [
    `<h1>${escapeHtml(texts.title.replace('{ticket}', String(view.ticketId)))}</h1>`,
    input.subject === null ? '' : `<p class="subject">${escapeHtml(input.subject)}</p>`,
    `<p class="stage${done ? ' done' : ''}" aria-label="${escapeHtml(texts.stage)}">${escapeHtml(texts.stages[view.stage])}</p>`,
    `<dl>${rows.map(([label, value]) => `<div><dt>${escapeHtml(label)}</dt><dd>${escapeHtml(value)}</dd></div>`).join('')}</dl>`,
    `<footer>${escapeHtml(texts.footer)}</footer>`,
  ].join('\n');
  return page(input.language, texts.title.replace('{ticket}', String(view.ticketId)), body, REFRESH_S);
}

/** The one page a wrong, revoked and expired link all get (and too many requests, with its own text). */
export function renderStatusMessage(language: string, text: string): string {
  return page(language, text, `<p class="stage">${escapeHtml(text)}</p>`, null);
}

function page(language: string, title: string, body: string, refreshS: number | null): string {
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="robots" content="noindex, nofollow">',
    '<meta name="referrer" content="no-referrer">',
    refreshS === null ? '' : `<meta http-equiv="refresh" content="${refreshS}">`,
    `<title>${escapeHtml(title)}</title>`,
    `<style>${STYLE}</style>`,
    '</head>',
    `<body><main>\n${body}\n</main></body>`,
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] as string);
}
