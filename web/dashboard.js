// cxloop dashboard: live clocks, live rows (server-sent events), charts (Chart.js, served by
// cxloop from its npm package) and the sign-in form. Plain script, no build step: it runs as
// shipped. Every row and text comes rendered and escaped by the server.
'use strict';

(function () {
  const body = document.body;
  // Clocks count against the server's time, not the browser's (the demo runs on a simulated clock).
  const skew = Number(body.dataset.now || Date.now()) - Date.now();
  const serverNow = () => Date.now() + skew;

  function span(ms) {
    const minutes = Math.round(Math.abs(ms) / 60000);
    if (minutes < 1) return 'under a minute';
    if (minutes < 60) return minutes + 'm';
    const hours = Math.floor(minutes / 60);
    if (hours < 48) return hours + 'h ' + String(minutes % 60).padStart(2, '0') + 'm';
    return Math.floor(hours / 24) + 'd ' + (hours % 24) + 'h';
  }

  function tickClocks() {
    const now = serverNow();
    for (const clock of document.querySelectorAll('time[data-due]')) {
      const due = Number(clock.dataset.due);
      const text = due >= now ? 'in ' + span(due - now) : 'overdue by ' + span(now - due);
      if (clock.textContent !== text) clock.textContent = text;
      clock.closest('.due')?.classList.toggle('late', due < now);
    }
  }
  tickClocks();
  setInterval(tickClocks, 1000);

  // The sign-in page posts its link at once (a link preview only GETs, so it cannot use the link up).
  for (const form of document.querySelectorAll('form[data-autosubmit]')) form.submit();

  // Live rows on the Now page.
  const status = document.getElementById('live-status');
  if (status && status.dataset.events && window.EventSource) {
    const events = new EventSource(status.dataset.events);
    const say = (text) => (status.textContent = text);
    events.addEventListener('open', () => say('Live: rows update as loops move.'));
    events.addEventListener('error', () => say('Live updates interrupted; reconnecting…'));
    events.addEventListener('row', (event) => {
      const move = JSON.parse(event.data);
      const template = document.createElement('template');
      template.innerHTML = move.html.trim();
      const row = template.content.firstElementChild;
      if (!row) return;
      let placed = false;
      for (const existing of document.querySelectorAll('tr[data-ticket="' + move.ticketId + '"]')) {
        // A loop no longer breached leaves the breaches table; elsewhere its row is replaced.
        if (!move.breached && existing.closest('#breaches')) existing.remove();
        else existing.replaceWith(row.cloneNode(true));
        placed = true;
      }
      if (!placed) document.querySelector('#open tbody')?.prepend(row);
      row.classList.add('moved');
      document.body.dataset.lastMove = move.ticketId + ':' + move.version;
      tickClocks();
      say('Live: #' + move.ticketId + ' moved just now.');
    });
    events.addEventListener('gone', (event) => {
      const move = JSON.parse(event.data);
      for (const existing of document.querySelectorAll('tr[data-ticket="' + move.ticketId + '"]')) existing.remove();
      say('Live: #' + move.ticketId + ' left the list.');
    });
  }

  // Charts: bars (or lines) per series, each goal a dashed line; the table under each chart has the same numbers.
  const data = document.getElementById('chart-data');
  if (data && window.Chart) {
    const colours = ['#2563eb', '#0891b2', '#7c3aed', '#db2777', '#ea580c'];
    const goals = ['#16a34a', '#ca8a04', '#dc2626'];
    for (const spec of JSON.parse(data.textContent)) {
      const canvas = document.getElementById(spec.id);
      if (!canvas) continue;
      if (spec.labels.length === 0) {
        canvas.closest('figure')?.classList.add('no-data');
        continue;
      }
      const datasets = spec.series.map((series, index) => ({
        type: spec.type,
        label: series.label,
        data: series.data,
        backgroundColor: colours[index % colours.length],
        borderColor: colours[index % colours.length],
        spanGaps: true,
      }));
      spec.targets.forEach((target, index) =>
        datasets.push({
          type: 'line',
          label: target.label,
          data: spec.labels.map(() => target.value),
          borderColor: goals[index % goals.length],
          borderDash: [6, 4],
          borderWidth: 2,
          pointRadius: 0,
          fill: false,
        }),
      );
      new window.Chart(canvas, {
        data: { labels: spec.labels, datasets },
        options: {
          animation: false,
          maintainAspectRatio: false,
          scales: { y: { min: 0, max: 100, ticks: { callback: (value) => value + ' %' } } },
          plugins: { tooltip: { callbacks: { label: (item) => item.dataset.label + ': ' + (item.raw === null ? '–' : item.raw + ' %') } } },
        },
      });
    }
  }
})();
