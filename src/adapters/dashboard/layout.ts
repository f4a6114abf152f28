import { html, type Html } from './html.js';

export interface PageViewer {
  readonly name: string;
  readonly csrf: string;
  /** "all teams" or the viewer's teams. */
  readonly teams: readonly string[] | null;
}

/** The page frame: skip link, navigation, who is signed in, sign out (a POST with the CSRF token). */
export function layout(input: { title: string; active: 'now' | 'figures' | 'ticket' | 'none'; viewer: PageViewer | null; now: number; body: Html; live?: boolean }): Html {
  const { viewer } = input;
  const link = (href: string, label: string, key: string): Html =>
    html`<a href="${href}"${key === input.active ? html` aria-current="page"` : ''}>${label}</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${input.title} · cxloop</title>
<link rel="stylesheet" href="/dashboard/assets/dashboard.css">
<script src="/dashboard/assets/chart.umd.min.js" defer></script>
<script src="/dashboard/assets/dashboard.js" defer></script>
</head>
<body data-now="${input.now}"${input.live ? html` data-live="1"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <span class="brand">cxloop</span>
  ${viewer
    ? html`<nav aria-label="Dashboard">${link('/dashboard', 'Now', 'now')}${link('/dashboard/figures', 'Figures', 'figures')}</nav>
  <span class="who">${viewer.name} · ${viewer.teams === null ? 'all teams' : viewer.teams.length === 0 ? 'no team' : viewer.teams.join(', ')}</span>
  <form method="post" action="/dashboard/logout" class="inline"><input type="hidden" name="csrf" value="${viewer.csrf}"><button type="submit">Sign out</button></form>`
    : ''}
</header>
<main id="main" tabindex="-1">
${input.body}
</main>
</body>
</html>`;
}

/** A page that says what went wrong and what to do, with its HTTP status. */
export function messagePage(input: { title: string; lines: readonly (string | Html)[]; viewer: PageViewer | null; now: number }): Html {
  return layout({
    title: input.title,
    active: 'none',
    viewer: input.viewer,
    now: input.now,
    body: html`<section class="message"><h1>${input.title}</h1>${input.lines.map((line) => html`<p>${line}</p>`)}</section>`,
  });
}

/** A table's "Download CSV" link: the same URL with the table's CSV export. */
export function csvLink(path: string, query: URLSearchParams, table: string): Html {
  const params = new URLSearchParams(query);
  params.set('table', table);
  params.set('from', path);
  return html`<a class="csv" href="/dashboard/export.csv?${params.toString()}">Download CSV</a>`;
}
