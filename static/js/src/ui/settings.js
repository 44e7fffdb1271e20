// The settings modal: one switch per category (nothing pre-ticked before a choice), the
// cookies each category uses, the language, and the way to /my-consent. Everything it
// needs comes in through its arguments, so that it can later be a bundle of its own.

import { button, h } from './dom.js';

const FOCUSABLE = 'button:not([disabled]),input:not([disabled]),select,summary,a[href]';

// `L` holds the texts and cookie tables of one language; `core` is what the core gives the
// UI; `ui` the first layer's side: {root, base, gpc, acceptAll, rejectAll, choose, close}.
export function settingsLayer(L, core, ui) {
  const { cfg, isGranted, saveState } = core;
  const t = L.texts;
  const switches = {};

  const cookieTable = (cookies) =>
    h(
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
    );

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
      h('div', { class: 'cat-head' }, h('label', { for: id }, info.name), locked ? h('span', { class: 'locked' }, t.always_on) : null, input),
      h('p', { id: id + '-d' }, info.description),
      cookies.length ? cookieTable(cookies) : null
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
      action: ui.base + '/my-consent/open',
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
      h('button', { type: 'button', class: 'close', 'aria-label': t.close, onclick: () => ui.close() }, '\u00d7')
    ),
    h('p', { id: 'sk-md' }, t.settings_body),
    ui.gpc ? h('p', { class: 'note' }, t.gpc_note) : null,
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
      button('accept', t.accept_all, ui.acceptAll),
      button('reject', t.reject_all, ui.rejectAll),
      button('save', t.save, () => {
        const choices = {};
        for (const slug in switches) choices[slug] = switches[slug].checked;
        ui.choose(choices, 'custom');
      })
    ),
    myConsent
  );
  const overlay = h('div', { class: 'overlay', hidden: true }, modal);

  // Keyboard: Escape closes the modal, Tab stays inside it while it is open.
  overlay.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      ui.close();
    } else if (e.key === 'Tab') {
      const items = [...modal.querySelectorAll(FOCUSABLE)].filter((el) => el.getClientRects().length);
      const first = items[0];
      const last = items[items.length - 1];
      const active = ui.root.activeElement;
      if (e.shiftKey && (active === first || active === modal)) {
        e.preventDefault();
        last.focus();
      } else if (!e.shiftKey && active === last) {
        e.preventDefault();
        first.focus();
      }
    }
  });

  return {
    overlay,
    // Show the modal with the stored choice (or nothing granted) on its switches.
    show(state) {
      for (const slug in switches) switches[slug].checked = !!(state && isGranted(slug));
      // Only a choice the service answered has the secret that opens its receipts.
      myConsent.hidden = !state?.k;
      myConsent.elements.subject_id.value = state?.s || '';
      myConsent.elements.visitor_secret.value = state?.k || '';
      overlay.hidden = false;
      modal.focus();
    },
  };
}
