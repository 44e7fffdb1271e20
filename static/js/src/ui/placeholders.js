// Placeholders for blocked frames: they say which category the content needs and offer to
// allow it, so refusing never leaves an unexplained hole in the page.

import { h, styled } from './dom.js';

const PLACEHOLDER = 'data-samtykke-placeholder';

// The function that draws placeholders before the frames it is given (once per frame).
export function placeholders(core, t, nonce) {
  const { api, decide, isGranted } = core;
  const nameOf = (slug) => (t.categories[slug] || { name: slug }).name;
  return (blocked) => {
    for (const frame of blocked) {
      const before = frame.previousElementSibling;
      if (before && before.hasAttribute(PLACEHOLDER)) continue;
      const needed = (frame.getAttribute('data-category') || '').split(/[\s,]+/).filter((c) => c && !isGranted(c));
      const label = t.blocked.replace('%(category)s', needed.map(nameOf).join(', '));
      const box = h('div', { [PLACEHOLDER]: '' });
      styled(box, nonce).append(
        h(
          'div',
          { class: 'ph', role: 'region', 'aria-label': frame.title || label },
          h('p', {}, label),
          h(
            'button',
            {
              type: 'button',
              class: 'btn',
              onclick: () => decide({ ...api.get().categories, ...Object.fromEntries(needed.map((c) => [c, true])) }, 'custom'),
            },
            t.allow
          )
        )
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
  };
}

// Remove the placeholders whose frame was allowed (it got its src back), or all of them.
export function removePlaceholders(all) {
  for (const box of document.querySelectorAll('[' + PLACEHOLDER + ']')) {
    const frame = box.nextElementSibling;
    if (all || !frame || !frame.hasAttribute('data-src')) box.remove();
  }
}
