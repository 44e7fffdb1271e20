// Building the UI's DOM: elements from plain calls (no innerHTML, no style attributes, no
// eval, so that a strict Content-Security-Policy works), inside shadow roots so that the
// host page's CSS cannot restyle or hide them.

import css from '../../dist/ui.min.css';

export function h(tag, attrs, ...children) {
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

// The banner's buttons: every choice looks the same, none is pushed.
export const button = (act, label, onclick) => h('button', { type: 'button', class: 'btn', 'data-act': act, onclick }, label);

// A shadow root on `host` with the banner's styles.
export function styled(host, nonce) {
  const root = host.attachShadow({ mode: 'open' });
  try {
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(css);
    root.adoptedStyleSheets = [sheet];
  } catch {
    root.append(h('style', { nonce: nonce || null }, css));
  }
  return root;
}
