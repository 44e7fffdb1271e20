// Blocked markup. <script type="text/plain" data-category="advertising"> stays inert until
// every category it names is granted, then runs in document order (an external script is
// awaited before the next one runs, as the browser would have done). <iframe data-src
// data-category> gets its src only then, and loses it again when consent is withdrawn;
// meanwhile the UI puts a placeholder before it.

const BLOCKED_SCRIPTS = 'script[type="text/plain"][data-category]';
const FRAMES = 'iframe[data-category]';
// Scripts already handed to a run: a later scan (another grant, a DOM change) must not
// run them twice while an earlier external script is still loading.
const queued = new WeakSet();

export const categoriesOf = (el) => el.dataset.category.split(/[\s,]+/).filter(Boolean);

function runScripts(ready) {
  const old = ready.shift();
  if (!old) return;
  const script = document.createElement('script');
  // data-category stays: it tells the page's developers why and when this one ran.
  for (const { name, value } of old.attributes) if (name !== 'type') script.setAttribute(name, value);
  // The nonce attribute reads empty after parsing; the property keeps it for CSP.
  if (old.nonce) script.nonce = old.nonce;
  const type = old.dataset.type;
  if (type) script.type = type;
  if (old.src) {
    script.onload = script.onerror = () => runScripts(ready);
    old.replaceWith(script);
  } else {
    script.text = old.text;
    old.replaceWith(script);
    runScripts(ready);
  }
}

// Runs what may run now; hands the frames that must wait to `placeholders`.
export function activate(isGranted, placeholders) {
  const allowed = (el) => categoriesOf(el).every(isGranted);
  const ready = [...document.querySelectorAll(BLOCKED_SCRIPTS)].filter((el) => !queued.has(el) && allowed(el));
  ready.forEach((el) => queued.add(el));
  runScripts(ready);
  const waiting = [];
  for (const frame of document.querySelectorAll(FRAMES)) {
    const src = frame.getAttribute('data-src');
    if (allowed(frame)) {
      // (The UI removes the placeholder it drew.)
      if (src) {
        frame.src = src;
        frame.removeAttribute('data-src');
        frame.style.display = '';
      }
    } else {
      // Refused or withdrawn after it loaded: unload it, it could go on tracking.
      if (!src) {
        frame.setAttribute('data-src', frame.src);
        frame.src = 'about:blank';
      }
      waiting.push(frame);
    }
  }
  placeholders(waiting);
}
