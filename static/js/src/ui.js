// The banner UI: first layer (Accept all / Reject all / Customize, equal weight) and the
// settings modal. Served as /c/<site>/ui/<lang>.js with texts for one language inline,
// drawn inside a shadow root so the host page's CSS cannot restyle or hide it, and built
// with DOM calls only (no innerHTML, no inline style attributes) so a strict CSP works.

import css from '../dist/ui.min.css';

const L = __SAMTYKKE_UI__;

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === false || value == null) continue;
    if (key.startsWith('on')) el.addEventListener(key.slice(2), value);
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child != null && child !== false) el.append(child);
  }
  return el;
}

function addStyles(root, nonce) {
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    root.append(h('style', { nonce: nonce || null }, css));
  }
}

const FOCUSABLE = 'button:not([disabled]),input:not([disabled]),select,summary,a[href]';

function mount(core) {
  const { cfg, api, decide, all, isGranted, emit } = core;
  const t = L.texts;
  const host = h('div', { id: 'samtykke-' + cfg.site, 'data-samtykke': '' });
  const root = host.attachShadow({ mode: 'open' });
  addStyles(root, core.nonce);
  let lastFocus = null;

  const button = (act, label, onclick) => h('button', { type: 'button', class: 'btn', 'data-act': act, onclick }, label);

  const choose = (choices, action) => {
    hideAll();
    decide(choices, action);
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

  // Settings modal: one switch per category, nothing pre-ticked before a choice.
  const switches = {};
  const categoryBlock = (slug) => {
    const info = t.categories[slug] || { name: slug, description: '' };
    const locked = slug === 'necessary';
    const id = 'sk-c-' + slug;
    const input = h('input', {
      type: 'checkbox',
      role: 'switch',
      id,
      checked: locked || isGranted(slug),
      disabled: locked,
      'aria-describedby': id + '-d',
    });
    if (!locked) switches[slug] = input;
    const cookies = L.cookies[slug] || [];
    return h(
      'section',
      { class: 'cat' },
      h(
        'div',
        { class: 'cat-head' },
        h('label', { for: id }, h('span', { class: 'cat-name' }, info.name)),
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
              'table',
              {},
              h('thead', {}, h('tr', {}, [t.cookie_name, t.cookie_provider, t.cookie_purpose, t.cookie_duration].map((x) => h('th', { scope: 'col' }, x)))),
              h('tbody', {}, cookies.map((row) => h('tr', {}, row.map((x) => h('td', {}, x)))))
            )
          )
        : null
    );
  };

  const languagePicker = h(
    'select',
    { id: 'sk-lang', onchange: (e) => core.switchLanguage(e.target.value) },
    L.langs.map(([tag, name]) => h('option', { value: tag, selected: tag === L.lang, lang: tag }, name))
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
    h('div', { class: 'lang' }, h('label', { for: 'sk-lang' }, t.language), languagePicker),
    ['necessary', ...cfg.categories].map(categoryBlock),
    h(
      'div',
      { class: 'actions' },
      button('accept', t.accept_all, acceptAll),
      button('reject', t.reject_all, rejectAll),
      button('save', t.save, () => {
        const choices = {};
        for (const [slug, input] of Object.entries(switches)) choices[slug] = input.checked;
        choose(choices, 'custom');
      })
    )
  );
  const overlay = h('div', { class: 'overlay', hidden: true }, modal);

  // Keyboard: Escape closes the modal, Tab stays inside it while it is open.
  overlay.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close();
    } else if (e.key === 'Tab') {
      const items = [...modal.querySelectorAll(FOCUSABLE)].filter((el) => el.offsetParent !== null);
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
    bar.hidden = true;
    overlay.hidden = true;
    if (wasOpen) {
      emit('hide');
      if (lastFocus && lastFocus.focus && document.contains(lastFocus)) lastFocus.focus();
    }
  }

  function open(layer) {
    if (bar.hidden && overlay.hidden) lastFocus = document.activeElement;
    if (layer === 'settings') {
      for (const [slug, input] of Object.entries(switches)) input.checked = isGranted(slug);
      bar.hidden = true;
      overlay.hidden = false;
      modal.focus();
    } else {
      overlay.hidden = true;
      bar.hidden = false;
      bar.focus();
    }
    emit('show', layer);
  }

  // Closing the modal without a choice returns to the first layer if none was made yet.
  function close() {
    if (api.get().decided) hideAll();
    else open('banner');
  }

  const attach = () => {
    document.body.append(host);
    open(core.layer);
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);

  return {
    lang: L.lang,
    open,
    destroy: () => host.remove(),
  };
}

try {
  window.consent._ui(mount);
} catch (e) {
  if (window.console) console.error('consent banner UI:', e);
}
