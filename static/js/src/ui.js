// The banner UI: first layer (Accept all / Reject all / Customize, equal weight), the
// settings modal, and placeholders for blocked frames. Served as /c/<site>/ui/<lang>.js
// with texts for one language inline, drawn inside shadow roots so the host page's CSS
// cannot restyle or hide it, and built with DOM calls only (no innerHTML, no style
// attributes, no eval) so that a strict Content-Security-Policy works.

import css from '../dist/ui.min.css';

const L = __SAMTYKKE_UI__;
const FOCUSABLE = 'button:not([disabled]),input:not([disabled]),select,summary,a[href]';

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value == null) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value);
  }
  el.append(...children.flat().filter((c) => c != null && c !== false));
  return el;
}

function styled(host, nonce) {
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    root.append(h('style', { nonce: nonce || null }, css));
  }
  return root;
}

function mount(core) {
  const { cfg, api, decide, commit, saveState, isGranted, emit } = core;
  const t = L.texts;
  const me = document.currentScript;
  const nonce = me.nonce;
  const base = new URL(me.src).origin;
  const gpc = api.get().gpc;
  const all = (value) => Object.fromEntries(cfg.categories.map((c) => [c, value]));
  const host = h('div', { 'data-samtykke': cfg.site });
  const root = styled(host, nonce);
  const nameOf = (slug) => (t.categories[slug] || { name: slug }).name;
  let lastFocus = null;
  let shownBanner = false;
  const reported = new Set();

  // Requests go one at a time, in order: a new subject's first decision brings back the
  // secret that its next decision and its preferences must show.
  let queue = Promise.resolve();
  const post = (path, body) => {
    const request = queue.then(() => {
      const state = core.state();
      return fetch(base + '/api/v1/' + path, {
        method: 'POST',
        keepalive: true, // cross-origin fetch sends no cookies by default: nothing to omit
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ site: cfg.site, subject_id: state?.s, visitor_secret: state?.k, ...body }),
      }).then((response) => (response.ok ? response.json() : Promise.reject(response)));
    });
    queue = request.catch(() => {});
    return request;
  };

  // Send a choice (the core's `decide` made it the stored one).
  const send = (sent) =>
    post('consents', {
      choices: sent.c,
      action: sent.a,
      policy_version: sent.p,
      language: sent.l,
      page: location.origin + location.pathname,
      gpc,
    })
      .then(({ visitor_secret: secret, ...receipt }) => {
        const state = core.state();
        if (state?.s !== sent.s) return; // erased meanwhile
        if (secret) state.k = core.keep(secret);
        if (state === sent) {
          state.r = receipt.receipt_id;
          delete state.q;
          emit('receipt', receipt);
        }
        saveState();
      })
      .catch(() => {});

  const beacon = (path, body) => {
    if (navigator.sendBeacon) navigator.sendBeacon(base + '/api/v1/' + path, JSON.stringify({ site: cfg.site, ...body }));
  };
  // Names (never values) of cookies no rule knows, for the admin's review queue.
  const reportUnknown = () => {
    const names = [...core.unknownSeen].filter((n) => !reported.has(n)).slice(0, 50);
    names.forEach((n) => reported.add(n));
    if (names.length) beacon('cookies/reports', { names });
  };

  const button = (act, label, onclick) => h('button', { type: 'button', class: 'btn', 'data-act': act, onclick }, label);
  const choose = (choices, action) => {
    hideAll();
    decide(choices, action).then(reportUnknown);
  };
  const acceptAll = () => choose(all(true), 'accept_all');
  const rejectAll = () => choose(all(false), 'reject_all');

  // First layer.
  const bar = h(
    'div',
    { class: 'bar', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'sk-t', 'aria-describedby': 'sk-d', tabindex: '-1', hidden: true },
    h('h2', { id: 'sk-t' }, t.title),
    h('p', { id: 'sk-d' }, t.body),
    h(
      'div',
      { class: 'actions' },
      button('accept', t.accept_all, acceptAll),
      button('reject', t.reject_all, rejectAll),
      button('customize', t.customize, () => open('settings'))
    )
  );

  // Settings: one switch per category, nothing pre-ticked before a choice.
  const switches = {};
  const categoryBlock = (slug) => {
    const info = t.categories[slug] || { name: slug, description: '' };
    const locked = slug === 'necessary';
    const id = 'sk-c-' + slug;
    const input = h('input', { type: 'checkbox', role: 'switch', id, checked: locked, disabled: locked, 'aria-describedby': id + '-d' });
    if (!locked) switches[slug] = input;
    const cookies = L.cookies[slug] || [];
    return h(
      'section',
      { class: 'cat' },
      h(
        'div',
        { class: 'cat-head' },
        h('label', { for: id }, info.name),
        locked ? h('span', { class: 'locked' }, t.always_on) : null,
        input
      ),
      h('p', { id: id + '-d' }, info.description),
      cookies.length
        ? h(
            'details',
            {},
            h('summary', {}, t.cookies_used + ' (' + cookies.length + ')'),
            h(
              'div',
              { class: 'scroll' },
              h(
                'table',
                {},
                h('thead', {}, h('tr', {}, [t.cookie_name, t.cookie_provider, t.cookie_purpose, t.cookie_duration].map((x) => h('th', { scope: 'col' }, x)))),
                h('tbody', {}, cookies.map((row) => h('tr', {}, row.map((x) => h('td', {}, x)))))
              )
            )
          )
        : null
    );
  };

  // /my-consent on the service: the visitor's receipts, download, withdraw, erase. A form
  // POST carries the subject id in the body, never in a URL that ends up in logs. For as
  // long as the page's link lives (30 minutes), this site asks the service on load and
  // when the visitor comes back whether they withdrew or erased there.
  const myConsent = h(
    'form',
    {
      method: 'post',
      action: base + '/my-consent/open',
      target: '_blank',
      class: 'mine',
      onsubmit: () => {
        core.state().m = Date.now() + 18e5;
        saveState();
      },
    },
    h('input', { type: 'hidden', name: 'site', value: cfg.site }),
    h('input', { type: 'hidden', name: 'subject_id', value: '' }),
    h('input', { type: 'hidden', name: 'visitor_secret', value: '' }),
    h('input', { type: 'hidden', name: 'lang', value: L.lang }),
    h('button', { type: 'submit', class: 'link' }, t.my_consent)
  );

  const modal = h(
    'div',
    { class: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'sk-mt', 'aria-describedby': 'sk-md', tabindex: '-1' },
    h(
      'div',
      { class: 'modal-head' },
      h('h2', { id: 'sk-mt' }, t.settings_title),
      h('button', { type: 'button', class: 'close', 'aria-label': t.close, onclick: () => close() }, '\u00d7')
    ),
    h('p', { id: 'sk-md' }, t.settings_body),
    gpc ? h('p', { class: 'note' }, t.gpc_note) : null,
    h(
      'div',
      { class: 'lang' },
      h('label', { for: 'sk-lang' }, t.language),
      h(
        'select',
        { id: 'sk-lang', onchange: (e) => core.switchLanguage(e.target.value) },
        L.langs.map(([tag, name]) => h('option', { value: tag, selected: tag === L.lang, lang: tag }, name))
      )
    ),
    ['necessary', ...cfg.categories].map(categoryBlock),
    h(
      'div',
      { class: 'actions' },
      button('accept', t.accept_all, acceptAll),
      button('reject', t.reject_all, rejectAll),
      button('save', t.save, () => {
        const choices = {};
        for (const slug in switches) choices[slug] = switches[slug].checked;
        choose(choices, 'custom');
      })
    ),
    myConsent
  );
  const overlay = h('div', { class: 'overlay', hidden: true }, modal);

  // Keyboard: Escape closes the modal, Tab stays inside it while it is open.
  overlay.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') {
      const items = [...modal.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length);
      const first = items[0];
      const last = items[items.length - 1];
      const active = root.activeElement;
      if (e.shiftKey && (active === first || active === modal)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  root.append(bar, overlay);

  function hideAll() {
    const wasOpen = !bar.hidden || !overlay.hidden;
    bar.hidden = overlay.hidden = true;
    if (wasOpen) {
      emit('hide');
      if (lastFocus && lastFocus.focus && lastFocus.isConnected) lastFocus.focus();
    }
  }

  function open(layer) {
    if (!layer) return;
    if (bar.hidden && overlay.hidden) lastFocus = document.activeElement;
    const state = core.state();
    if (layer === 'settings') {
      for (const slug in switches) switches[slug].checked = !!(state && isGranted(slug));
      // Only a choice the service answered has the secret that opens its receipts.
      myConsent.hidden = !state?.k;
      myConsent.elements.subject_id.value = state?.s || '';
      myConsent.elements.visitor_secret.value = state?.k || '';
      bar.hidden = true;
      overlay.hidden = false;
      modal.focus();
    } else {
      overlay.hidden = true;
      bar.hidden = false;
      bar.focus();
      if (!shownBanner) {
        // One impression per first-layer display, so ignored banners can be counted.
        // It carries no personal data and sets no cookie.
        beacon('impressions', { policy_version: cfg.policy, language: L.lang, gpc });
      }
      shownBanner = true;
    }
    emit('show', layer);
  }

  // Closing the modal without a choice returns to the first layer if none was made yet.
  function close() {
    if (api.get().decided) hideAll();
    else open('banner');
  }

  // Placeholders for blocked frames: they say which category the content needs and
  // offer to allow it, so refusing never leaves an unexplained hole in the page.
  function frames(blocked) {
    for (const frame of blocked) {
      const before = frame.previousElementSibling;
      if (before && before.hasAttribute('data-samtykke-placeholder')) continue;
      const needed = (frame.getAttribute('data-category') || '').split(/[\s,]+/).filter((c) => c && !isGranted(c));
      const names = needed.map(nameOf).join(', ');
      const box = h('div', { 'data-samtykke-placeholder': '' });
      const label = t.blocked.replace('%(category)s', names);
      styled(box, nonce).append(
        h('div', { class: 'ph', role: 'region', 'aria-label': frame.title || label },
          h('p', {}, label),
          h('button', {
            type: 'button',
            class: 'btn',
            onclick: () => decide({ ...api.get().categories, ...Object.fromEntries(needed.map((c) => [c, true])) }, 'custom'),
          }, t.allow))
      );
      // Take the frame's place: same size, as far as its attributes say, and never wider
      // than the page.
      box.style.maxWidth = '100%';
      for (const side of ['width', 'height']) {
        const size = frame.getAttribute(side);
        if (size) box.style[side] = /^\d+$/.test(size) ? size + 'px' : size;
      }
      // Through the CSSOM, which a strict CSP allows, and which beats a page rule such as
      // `iframe { display: block }` that the hidden attribute would lose to.
      frame.style.display = 'none';
      frame.before(box);
    }
  }

  // Back from /my-consent: a withdrawal or an erasure made there applies here too.
  let syncing = false;
  let alive = true;
  const syncLatest = () => {
    const state = core.state();
    if (!alive || document.hidden || syncing || !state?.k || !(state.m > Date.now())) return;
    syncing = true;
    fetch(base + '/api/v1/consents/latest', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ site: cfg.site, subject_id: state.s, visitor_secret: state.k }),
    })
      .then((response) => {
        if (response.status === 410) {
          commit(null); // erased: forget the choice and ask again
          open('banner');
        }
        return response.ok ? response.json() : null;
      })
      .then((latest) => {
        if (latest && latest.receipt_id !== state.r) {
          commit({ ...state, c: { ...all(false), ...latest.choices }, r: latest.receipt_id, a: latest.action, t: Date.now() });
        }
      })
      .catch(() => {})
      .finally(() => (syncing = false));
  };
  document.addEventListener('visibilitychange', syncLatest);
  addEventListener('focus', syncLatest);
  addEventListener('pagehide', reportUnknown);
  // A frame the visitor allowed loses its placeholder.
  api.on('change', () => {
    for (const box of document.querySelectorAll('[data-samtykke-placeholder]')) {
      const frame = box.nextElementSibling;
      if (!frame || !frame.hasAttribute('data-src')) box.remove();
    }
  });

  const attach = () => {
    document.body.append(host);
    open(core.layer);
    reportUnknown();
    syncLatest();
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);

  return {
    lang: L.lang,
    reopen: t.reopen,
    open,
    frames,
    send,
    post: (path, body) => post(path, body).catch(() => {}),
    // Going away (another language is coming): its placeholders go too, to be redrawn.
    destroy() {
      alive = false;
      host.remove();
      for (const box of document.querySelectorAll('[data-samtykke-placeholder]')) box.remove();
    },
  };
}

try {
  window.consent._ui(mount);
} catch (e) {
  console.error('consent banner UI:', e);
}
