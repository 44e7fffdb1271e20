// The first layer: title, text and three buttons of equal weight. It reaches the settings
// only through `customize`, a function that opens them, so the settings modal can come in
// a bundle of its own, fetched when a visitor asks for it.

import { button, h } from './dom.js';

export const firstLayer = (t, acceptAll, rejectAll, customize) =>
  h(
    'div',
    { class: 'bar', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'sk-t', 'aria-describedby': 'sk-d', tabindex: '-1', hidden: true },
    h('h2', { id: 'sk-t' }, t.title),
    h('p', { id: 'sk-d' }, t.body),
    h(
      'div',
      { class: 'actions' },
      button('accept', t.accept_all, acceptAll),
      button('reject', t.reject_all, rejectAll),
      button('customize', t.customize, customize)
    )
  );
