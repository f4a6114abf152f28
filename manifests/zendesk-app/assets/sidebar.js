/*
 * cxloop in the Zendesk ticket sidebar (Zendesk Apps Framework v2). Every request to cxloop goes
 * through Zendesk's proxy as a signed request: the proxy signs a JWT (HS256) with the app's
 * secure setting `shared_secret`, which this page never sees, and cxloop verifies it. The page
 * renders with textContent only: ticket text never becomes markup.
 */
(function () {
  'use strict';
  var base = (document.body.getAttribute('data-cxloop-url') || '').replace(/\/+$/, '');
  var client = window.ZAFClient.init();
  var ctx = { ticketId: null, subdomain: null, agent: null };
  var app = document.getElementById('app');

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      if (key === 'text') node.textContent = attrs[key];
      else if (key === 'className') node.className = attrs[key];
      else node.setAttribute(key, attrs[key]);
    });
    (children || []).forEach(function (child) { if (child) node.appendChild(child); });
    return node;
  }

  function randomId() {
    var bytes = new Uint8Array(12);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  /** A request to cxloop, signed by Zendesk's proxy (secure: true fills {{setting.shared_secret}} there). */
  function signed(method, path, body) {
    return client.request({
      url: base + path,
      type: method,
      contentType: 'application/json',
      data: body === undefined ? undefined : JSON.stringify(body),
      secure: true,
      cors: false,
      headers: { Authorization: 'Bearer {{jwt.token}}' },
      jwt: {
        algorithm: 'HS256',
        secret_key: '{{setting.shared_secret}}',
        expiry: 300,
        claims: { iss: ctx.subdomain, sub: String(ctx.agent.id), name: ctx.agent.name, jti: randomId() }
      }
    });
  }

  function errorText(error) {
    try {
      var parsed = JSON.parse(error.responseText);
      if (parsed && parsed.error) return parsed.error;
    } catch { /* not JSON */ }
    if (error && error.status === 401) return 'cxloop refused the request: check the app\'s shared secret matches ZENDESK_APP_SECRET.';
    return 'cxloop did not answer' + (error && error.status ? ' (' + error.status + ')' : '') + '.';
  }

  function resize() {
    client.invoke('resize', { width: '100%', height: Math.max(120, document.body.scrollHeight + 8) + 'px' });
  }

  function note(container, text, isError) {
    var old = container.querySelector('.note');
    if (old) old.remove();
    container.appendChild(el('p', { className: 'note' + (isError ? ' error' : ''), role: isError ? 'alert' : 'status', text: text }));
    resize();
  }

  function when(iso) {
    return iso ? new Date(iso).toLocaleString(undefined, { weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' }) : '';
  }

  function render(loop) {
    app.textContent = '';
    app.appendChild(el('p', { className: 'stage', 'data-test': 'stage', text: loop.stage_label }));
    app.appendChild(el('p', { className: 'muted', text: loop.category_label + ' · ' + loop.tier + ' tier' }));

    app.appendChild(el('h2', { text: 'Owner' }));
    app.appendChild(el('dl', {}, [
      el('dt', { text: 'Team' }), el('dd', { text: loop.team }),
      el('dt', { text: 'Owner' }), el('dd', { 'data-test': 'owner', text: loop.owner || 'nobody yet' })
    ]));

    app.appendChild(el('h2', { text: 'Clocks' }));
    app.appendChild(el('ul', { className: 'clocks' }, loop.clocks.map(function (clock) {
      return el('li', {}, [
        el('span', { text: clock.name + (clock.due_at ? ' · ' + when(clock.due_at) : '') }),
        el('span', { className: 'badge ' + clock.state, text: clock.state })
      ]);
    })));

    if (loop.why) {
      app.appendChild(el('h2', { text: 'Why routed' }));
      app.appendChild(el('p', { className: 'muted', 'data-test': 'why', text: loop.why }));
    }

    if (loop.open) {
      var category = el('section', { 'aria-label': 'Correct the category' });
      var select = el('select', { id: 'category', 'aria-label': 'Category' }, loop.categories.map(function (option) {
        var node = el('option', { value: option.id, text: option.label });
        if (option.id === loop.category) node.selected = true;
        return node;
      }));
      var correct = el('button', { type: 'button', id: 'correct', text: 'Correct category' });
      correct.addEventListener('click', function () {
        correct.disabled = true;
        signed('POST', '/zendesk-app/api/category', { ticket: ctx.ticketId, category: select.value }).then(function (answer) {
          var message = answer.changed ? 'Recorded as your correction.' + (answer.zendesk && answer.zendesk !== 'written' ? ' ' + answer.zendesk : '') : 'That is already the category.';
          // The loop is shown again as it is now; the confirmation goes under the new form.
          return load().then(function () { note(app.querySelector('section[aria-label="Correct the category"]') || app, message, false); });
        }, function (error) {
          note(category, errorText(error), true);
          correct.disabled = false;
        });
      });
      category.appendChild(el('h2', { text: 'Category' }));
      category.appendChild(select);
      category.appendChild(correct);
      app.appendChild(category);

      var update = el('section', { 'aria-label': 'Post a status update' });
      var text = el('textarea', { id: 'update-text', maxlength: '3000', placeholder: 'What changed, what happens next', 'aria-label': 'Status update' });
      var eta = el('input', { id: 'update-eta', type: 'number', min: '1', max: '1440', placeholder: 'hours', 'aria-label': 'ETA in hours (optional)' });
      var post = el('button', { type: 'button', id: 'post', text: 'Post update' });
      post.addEventListener('click', function () {
        if (text.value.trim() === '') return note(update, 'Write the update first.', true);
        post.disabled = true;
        signed('POST', '/zendesk-app/api/update', { ticket: ctx.ticketId, text: text.value, eta_hours: eta.value ? Number(eta.value) : null }).then(function () {
          text.value = '';
          eta.value = '';
          note(update, 'Posted to the status channel and noted on the ticket.', false);
        }, function (error) { note(update, errorText(error), true); }).then(function () { post.disabled = false; });
      });
      update.appendChild(el('h2', { text: 'Status update' }));
      update.appendChild(text);
      update.appendChild(el('div', { className: 'row' }, [el('label', { for: 'update-eta', text: 'ETA in' }), eta, el('span', { className: 'muted', text: 'hours (optional)' })]));
      update.appendChild(post);
      app.appendChild(update);
    }

    if (loop.slack_card) {
      app.appendChild(el('h2', { text: 'Slack' }));
      app.appendChild(el('p', {}, [el('a', { href: loop.slack_card, target: '_blank', rel: 'noopener noreferrer', id: 'slack-card', text: 'Open the card in Slack' })]));
    }
    resize();
  }

  function load() {
    return signed('GET', '/zendesk-app/api/loop?ticket=' + encodeURIComponent(ctx.ticketId)).then(render, function (error) {
      app.textContent = '';
      app.appendChild(el('p', { className: 'muted', 'data-test': 'empty', text: errorText(error) }));
      resize();
    });
  }

  Promise.all([client.context(), client.get(['ticket.id', 'currentUser'])]).then(function (results) {
    ctx.subdomain = results[0].account.subdomain;
    ctx.ticketId = results[1]['ticket.id'];
    ctx.agent = { id: results[1].currentUser.id, name: results[1].currentUser.name };
    return load();
  });
  client.on('app.registered', resize);
})();
