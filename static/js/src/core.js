// The banner core: served as /c/<site>.js with that site's configuration inline, loaded
// synchronously first in <head> so that its guards are in place before any other script
// runs. A returning visitor with a valid stored choice downloads this file only (budget:
// 3.5 KB gzip with its configuration); the banner UI (ui.js) is fetched when something
// has to be shown. Nothing here may throw into the host page, and the only global it
// defines is window.consent (plus Google's own window.dataLayer for Consent Mode).

import { ADVERTISING, FUNCTIONALITY, NECESSARY, consentSignals, newSubject, wantedLanguages } from './choice.js';
import { classifier, isDeletion } from './cookie-rules.js';
import { forget, jar, nativeCookie, readCookie, writeRaw } from './cookies.js';
import { activate } from './scripts.js';

// Replaced by the server with the site's configuration (see services/banner.py).
const cfg = __SAMTYKKE_CONFIG__;
const PREF = 'samtykke_pref';
const lifetime = cfg.days * 864e5;

const script = document.currentScript;
const ruleFor = classifier(cfg.rules);
const listeners = {};
// Cookie names no rule knows; the UI reports them (names only) for the admin's review.
const unknownSeen = new Set();
const gpc = !!(navigator.globalPrivacyControl || cfg.gpc);
// state: {s: subject, k: visitor secret, p: policy, e: epoch, c: {category: bool}, t: ms,
//         r: receipt, a: action, l: language, b: button label, q: 1 until stored}
let state = null;
// The visitor's random id (and the language they chose in) outlive an expired choice or a
// major policy version, so a new decision joins their earlier receipts; both go only when
// the choice is erased. The secret the service gave the subject with its first receipt is
// what opens that subject's receipts (an id alone opens nothing): it goes with the id.
// (Left undefined until known, which costs no bytes on the wire; `uiLayer` is null until
// the UI is asked for.)
let subject, secret, spoken;
let ui, chosenLanguage, reopenButton;
let uiLayer = null;

function emit(event, detail) {
  for (const fn of listeners[event] || []) {
    try {
      fn(detail);
    } catch (e) {
      console.error(e); // the host page's listener failed; the others still run
    }
  }
}

function categoryOf(name) {
  const category = ruleFor(name);
  if (!category) unknownSeen.add(name);
  return category || cfg.unknown;
}

// Before a choice nothing optional is granted, except where the site's region rule only
// asks for notice (and even then Global Privacy Control keeps advertising off).
const isGranted = (category) =>
  category === NECESSARY || (state ? !!state.c[category] : cfg.optin === 0 && !(gpc && category === ADVERTISING));

// The parsed cookie, or undefined when it is missing or not ours.
const readJSON = (name) => {
  try {
    return JSON.parse(readCookie(name));
  } catch {
    /* undefined */
  }
};

function writeCookie(name, value, seconds) {
  writeRaw(
    name + '=' + encodeURIComponent(JSON.stringify(value)) + ';path=/;SameSite=Lax;max-age=' +
      Math.ceil(seconds) + (location.protocol === 'https:' ? ';Secure' : '')
  );
}

// The stored choice lasts exactly as long as it is valid.
const saveState = () => writeCookie(cfg.cookie, state, (state.t + lifetime - Date.now()) / 1e3);

// Delete every cookie of a category that is not granted: set before we loaded, before
// the choice, by another script or by a server we do not control.
function clearRefused() {
  for (const name in jar()) if (!isGranted(categoryOf(name))) forget(name);
}

const allowWrite = (name, deletion) => deletion || isGranted(categoryOf(String(name).trim()));

function guardCookies() {
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: nativeCookie.get,
    set: (value) => {
      value = String(value);
      if (allowWrite(value.split('=')[0], isDeletion(value))) writeRaw(value);
    },
  });
  const store = window.cookieStore;
  const set = store?.set;
  if (set) {
    // Forward exactly the arguments given: set(name, value) and set(options) differ.
    store.set = (...args) => {
      const options = Object(args[0]);
      // A refused write resolves quietly, as document.cookie drops one quietly.
      return allowWrite(options.name || args[0], options.expires <= Date.now())
        ? set.apply(store, args)
        : Promise.resolve();
    };
  }
}

// Google Consent Mode v2: the defaults go out before any tag runs.
function consentMode(update) {
  if (!cfg.gcm) return;
  // gtag() pushes its arguments object, which is what Google's tags read.
  (function () {
    (window.dataLayer = window.dataLayer || []).push(arguments);
  })('consent', update ? 'update' : 'default', consentSignals(update, isGranted, cfg.categories));
}

// Talking to the service (decisions, preferences) is the UI script's job, so a returning
// visitor whose choice is stored never downloads that code. Calls made before the UI is
// here wait for it, in order.
const waiting = [];
const withUI = (task) =>
  new Promise((resolve) => {
    waiting.push((mounted) => resolve(task(mounted)));
    ui ? runWaiting() : show(null);
  });
const runWaiting = () => waiting.splice(0).forEach((task) => task(ui));

// Send a stored choice. Until the service answers, `q` marks it for a retry on the next
// page, so a network failure does not lose the receipt.
const send = (sent) => withUI((mounted) => mounted.send(sent));

const all = (value) => Object.fromEntries(cfg.categories.map((c) => [c, value]));

// The subject, its secret and the language it chose in (see above).
function remember(choice) {
  subject = choice?.s;
  secret = choice?.k;
  spoken = choice?.l;
}

// Make `next` the stored choice and act on it everywhere.
function commit(next) {
  state = next;
  remember(next);
  if (state) saveState();
  else forget(cfg.cookie);
  clearRefused();
  if (!isGranted(FUNCTIONALITY)) forget(PREF);
  activate(isGranted, frames);
  consentMode(1);
  showReopen();
  emit('change', api.get());
}

// Record a decision. Refusing everything after having granted something is a withdrawal.
function decide(choices, action) {
  const c = {};
  for (const category of cfg.categories) c[category] = !!choices[category];
  commit({
    s: subject || newSubject(),
    k: secret,
    p: cfg.policy,
    e: cfg.epoch,
    c,
    t: Date.now(),
    l: ui?.lang,
    b: ui ? ui.reopen : state && state.b,
    a: state && Object.values(state.c).some(Boolean) && !Object.values(c).some(Boolean) && action !== 'gpc' ? 'withdraw' : action,
    q: 1,
  });
  return send(state);
}

const preferences = () => readJSON(PREF) || {};

// Language and location are functionality storage: kept (here and on the service) only
// while functionality is granted.
function setPreference(key, value) {
  if (!isGranted(FUNCTIONALITY) || !/^(language|location)$/.test(key)) return false;
  const prefs = { ...preferences(), [key]: value };
  writeCookie(PREF, prefs, lifetime / 1e3);
  withUI((mounted) => mounted.post('preferences', prefs));
  return true;
}


// The small floating button that brings the settings back after a choice.
function showReopen() {
  if (!cfg.btn || script.dataset.reopen === 'false' || !state || !document.body) return;
  if (!reopenButton) {
    const host = document.createElement('div');
    const root = host.attachShadow({ mode: 'open' });
    reopenButton = document.createElement('button');
    reopenButton.textContent = '\u2699';
    reopenButton.onclick = api.show;
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(
        'button{position:fixed;left:1rem;bottom:1rem;z-index:2147483645;width:44px;height:44px;border-radius:50%;border:2px solid #fff;background:#1f3a5f;color:#fff;font:22px system-ui;cursor:pointer}:focus-visible{outline:3px solid #b3541e}'
      );
      root.adoptedStyleSheets = [sheet];
    } catch (e) {
      /* without constructable stylesheets it is still a working button */
    }
    root.append(reopenButton);
    document.body.append(host);
  }
  reopenButton.setAttribute('aria-label', state.b || cfg.btn);
}

// Show a layer of the UI ('banner' or 'settings'; null draws frame placeholders only),
// fetching it first: code, styles and texts for one language.
function show(layer) {
  if (ui) return ui.open(layer);
  if (uiLayer === null) {
    const tag = document.createElement('script');
    tag.src = new URL('/c/' + cfg.site + '/ui.js?lang=' + encodeURIComponent(
      wantedLanguages(chosenLanguage, preferences().language, spoken, script, document, navigator)
    ), script.src);
    tag.nonce = script.nonce;
    document.head.append(tag);
  }
  uiLayer = uiLayer || layer || '';
}

// Blocked frames need placeholders, which the UI draws.
function frames(blocked) {
  if (blocked.length) ui ? ui.frames(blocked) : show(null);
}

const api = {
  get: () => ({
    decided: !!state,
    categories: Object.fromEntries([NECESSARY, ...cfg.categories].map((c) => [c, isGranted(c)])),
    subject: state && state.s,
    receipt: (state && state.r) || null,
    action: state && state.a,
    policy: cfg.policy,
    gpc,
  }),
  on(event, fn) {
    (listeners[event] = listeners[event] || []).push(fn);
  },
  show: () => show('settings'),
  acceptAll: () => decide(all(true), 'accept_all'),
  rejectAll: () => decide(all(false), 'reject_all'),
  set: (choices) => decide({ ...api.get().categories, ...choices }, 'custom'),
  setPreference,
  getPreference: (key) => (isGranted(FUNCTIONALITY) ? preferences()[key] : undefined),
  // The queue stub's push keeps working after load: consent.push(['on', 'change', fn]).
  push: run,
  // Called by the UI script once it has loaded.
  _ui(mount) {
    ui = mount({
      cfg, api, decide, commit, saveState, isGranted, emit, unknownSeen,
      state: () => state,
      // The secret the service gave a subject, kept with its id (see `subject`); a new
      // id when the service refused the old one.
      keep: (k, s = subject) => ((subject = s), (secret = k)),
      layer: uiLayer,
      switchLanguage(tag) {
        chosenLanguage = tag;
        setPreference('language', tag);
        ui.destroy();
        ui = uiLayer = null;
        show('settings');
      },
    });
    activate(isGranted, frames);
    runWaiting();
  },
};

function run(call) {
  try {
    call.call ? call(api) : api[call[0]](...call.slice(1));
  } catch (e) {
    console.error(e); // a bad queued call must not stop the banner
  }
}

function start() {
  const queued = window.consent;
  state = readJSON(cfg.cookie);
  remember(state);
  // A choice expires after the site's lifetime; a major policy version asks again.
  if (!state || state.e !== cfg.epoch || state.t + lifetime < Date.now()) state = null;
  consentMode();
  guardCookies();
  window.consent = api;
  queued?.forEach?.(run);
  clearRefused();
  consentMode(1);
  if (state?.q) send(state);
  // Back within the life of a /my-consent link: the UI asks the service whether the
  // visitor withdrew or erased there.
  if (state?.m > Date.now()) show(null);
  // Global Privacy Control is a refusal we can record without asking: advertising (and
  // everything else optional) stays off until the visitor opts in from the settings.
  if (!state && gpc && cfg.optin !== 0) decide(all(false), 'gpc');
  const ready = () => {
    activate(isGranted, frames);
    showReopen();
    // Blocked markup added later (single-page apps, tag managers) is handled as well.
    new MutationObserver(() => activate(isGranted, frames)).observe(document.documentElement, { childList: true, subtree: true });
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', ready);
  else ready();
  // Fetch the UI at once (the request overlaps the page's own parsing); it waits for
  // <body> before it draws.
  if (!state) show('banner');
}

try {
  start();
} catch (e) {
  // Never break the host page; the console keeps the cause for the site's developers.
  console.error('consent banner:', e);
}
