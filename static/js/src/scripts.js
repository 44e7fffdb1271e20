// Blocked markup: <script type="text/plain" data-category="advertising"> stays inert until
// every category it names is granted, then runs in document order (an external script
// is awaited before the next one runs, as the browser would have done).

const BLOCKED = 'script[type="text/plain"][data-category]';

function categoriesOf(el) {
  return (el.getAttribute('data-category') || '').split(/[\s,]+/).filter(Boolean);
}

export function activateScripts(isGranted) {
  const ready = [...document.querySelectorAll(BLOCKED)].filter((el) =>
    categoriesOf(el).every(isGranted)
  );
  const runNext = () => {
    const old = ready.shift();
    if (!old) return;
    const script = document.createElement('script');
    for (const { name, value } of old.attributes) {
      if (name !== 'type' && name !== 'data-category') script.setAttribute(name, value);
    }
    script.setAttribute('data-consent-category', old.getAttribute('data-category'));
    // The nonce attribute reads empty after parsing; the property keeps it for CSP.
    if (old.nonce) script.nonce = old.nonce;
    const type = old.getAttribute('data-type');
    if (type) script.type = type;
    if (old.src) {
      script.onload = script.onerror = runNext;
      old.replaceWith(script);
    } else {
      script.text = old.text;
      old.replaceWith(script);
      runNext();
    }
  };
  runNext();
}
