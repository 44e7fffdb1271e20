// The banner core: served as /c/<site>.js with that site's configuration inline, loaded
// synchronously in <head> so that its guards are in place before any other script runs.
// A returning visitor with a valid stored choice downloads this file only; the banner UI
// (ui.js) is loaded when it has to be shown. Nothing here may throw into the host page.

import { classifier, cookieNames, deleteCookie, isDeletion, readCookie, writeRaw } from './cookies.js';
import { activateScripts } from './scripts.js';

// Replaced by the server with the site's configuration (see services/banner.py).
const cfg = __SAMTYKKE_CONFIG__;
const NECESSARY = 'necessary';
const DAY = 864e5;

const script = document.currentScript;
const base = new URL(script.src).origin;
const categoryOf = classifier(cfg.rules, cfg.unknown);
const listeners = {};
let state = null; // {v, s: subject, p: policy, e: epoch, c: {category: bool}, t: ms, r: receipt}
let ui = null;
let pendingLayer = 'banner';

function emit(event, detail) {
  for (const fn of listeners[event] || []) {
    try {
      fn(detail);
    } catch (e) {
      // A listener's error is the host page's problem, not a reason to stop the others.
      setTimeout(() => {
        throw e;
      });
    }
  }
}

function loadState() {
  try {
    const stored = JSON.parse(readCookie(cfg.cookie));
    // A choice expires after the site's lifetime, and a major policy version asks again.
    if (stored && stored.e === cfg.epoch && stored.t + cfg.days * DAY > Date.now()) return stored;
  } catch (e) {
    /* no or unreadable cookie: ask */
  }
  return null;
}

function saveState() {
  const secure = location.protocol === 'https:' ? ';Secure' : '';
  writeRaw(
    cfg.cookie + '=' + encodeURIComponent(JSON.stringify(state)) +
      ';path=/;SameSite=Lax;max-age=' + Math.round(cfg.days * 86400) + secure
  );
}

const isGranted = (category) => category === NECESSARY || !!(state && state.c[category]);

// Drop every cookie of a category the visitor has not granted (set before we loaded,
// before the choice, or by a server we do not control).
function clearRefused() {
  for (const name of cookieNames()) {
    if (name !== cfg.cookie && !isGranted(categoryOf(name))) deleteCookie(name);
  }
}

function guardCookies() {
  const native = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');
  Object.defineProperty(document, 'cookie', {
    configurable: true,
    get: () => native.get.call(document),
    set: (value) => {
      const text = String(value);
      const name = text.split('=')[0].trim();
      if (name === cfg.cookie || isGranted(categoryOf(name)) || isDeletion(text)) {
        native.set.call(document, text);
      }
    },
  });
}

function subjectId() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function send(action) {
  const body = {
    site: cfg.site,
    subject_id: state.s,
    choices: state.c,
    action,
    policy_version: cfg.policy,
    language: state.l,
    page: location.origin + location.pathname,
    gpc: false,
  };
  return fetch(base + '/api/v1/consents', {
    method: 'POST',
    mode: 'cors',
    credentials: 'omit',
    keepalive: true,
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  })
    .then((response) => (response.ok ? response.json() : null))
    .then((data) => {
      if (data && state && state.s === body.subject_id) {
        state.r = data.receipt_id;
        saveState();
        emit('receipt', data);
      }
    })
    .catch(() => {});
}

// Record a decision: choices names every optional category with true or false.
function decide(choices, action) {
  const c = {};
  for (const category of cfg.categories) c[category] = !!choices[category];
  state = {
    v: 1,
    s: (state && state.s) || subjectId(),
    p: cfg.policy,
    e: cfg.epoch,
    c,
    t: Date.now(),
    l: ui ? ui.lang : undefined,
  };
  saveState();
  clearRefused();
  activateScripts(isGranted);
  emit('change', api.get());
  return send(action);
}

const all = (value) => Object.fromEntries(cfg.categories.map((c) => [c, value]));

let chosenLanguage = null;

function pickLanguage() {
  const wanted = [chosenLanguage, script.getAttribute('data-lang'), document.documentElement.lang, ...navigator.languages];
  for (const tag of wanted) {
    if (!tag) continue;
    const lower = tag.toLowerCase();
    for (const candidate of [lower, lower.split('-')[0], lower.split('-')[0] === 'no' ? 'nb' : '']) {
      if (cfg.langs.includes(candidate)) return candidate;
    }
  }
  return cfg.lang;
}

function switchLanguage(tag) {
  chosenLanguage = tag;
  if (ui) ui.destroy();
  ui = null;
  show('settings');
}

// Fetch the banner UI (code, styles and texts for one language) and show it.
function show(layer) {
  if (ui) return ui.open(layer);
  const tag = document.createElement('script');
  tag.src = base + '/c/' + cfg.site + '/ui/' + pickLanguage() + '.js';
  tag.async = true;
  if (script.nonce) tag.nonce = script.nonce;
  pendingLayer = layer;
  (document.head || document.documentElement).appendChild(tag);
}

const api = {
  get: () => ({
    decided: !!state,
    categories: Object.fromEntries([[NECESSARY, true], ...cfg.categories.map((c) => [c, isGranted(c)])]),
    subject: state ? state.s : null,
    receipt: state ? state.r || null : null,
    policy: cfg.policy,
  }),
  on(event, fn) {
    (listeners[event] = listeners[event] || []).push(fn);
  },
  show: () => show('settings'),
  acceptAll: () => decide(all(true), 'accept_all'),
  rejectAll: () => decide(all(false), 'reject_all'),
  set: (choices) => decide({ ...api.get().categories, ...choices }, 'custom'),
  // The queue stub's push keeps working after load: consent.push(['on', 'change', fn]).
  push: (call) => run(call),
  // Called by the UI script once it has loaded.
  _ui(mount) {
    ui = mount({ cfg, api, decide, all, isGranted, emit, switchLanguage, layer: pendingLayer, nonce: script.nonce });
  },
};

function run(call) {
  try {
    if (typeof call === 'function') call(api);
    else api[call[0]](...call.slice(1));
  } catch (e) {
    /* a bad queued call must not stop the banner */
  }
}

function start() {
  const queued = Array.isArray(window.consent) ? window.consent : [];
  state = loadState();
  guardCookies();
  window.consent = api;
  // Calls made before we loaded: ['on', 'change', fn] or a function given the API.
  queued.forEach(run);
  clearRefused();
  const activate = () => activateScripts(isGranted);
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', activate);
  else activate();
  // Fetch the UI at once (the request overlaps the page's own parsing); it waits for
  // <body> before it draws.
  if (!state) show('banner');
}

try {
  start();
} catch (e) {
  // Never break the host page; the console keeps the cause for the site's developers.
  if (window.console) console.error('consent banner:', e);
}
