// The banner UI, fetched by the core when something has to be shown: the first layer
// (Accept all / Reject all / Customize, equal weight), the settings modal, and
// placeholders for blocked frames. Served as /c/<site>/ui.js with texts for one language
// inline (__SAMTYKKE_UI__). This module wires the pieces in ui/ together and decides which
// layer shows; the first layer opens the settings only through `open('settings')`.

import { h, styled } from './ui/dom.js';
import { firstLayer } from './ui/first-layer.js';
import { settingsLayer } from './ui/settings.js';
import { placeholders, removePlaceholders } from './ui/placeholders.js';
import { connect } from './ui/service.js';

const L = __SAMTYKKE_UI__;

function mount(core) {
  const { cfg, api, decide, commit, emit } = core;
  const t = L.texts;
  const me = document.currentScript;
  const nonce = me.nonce;
  const base = new URL(me.src).origin;
  const gpc = api.get().gpc;
  const service = connect(core, base, gpc, location);
  const all = (value) => Object.fromEntries(cfg.categories.map((c) => [c, value]));
  const host = h('div', { 'data-samtykke': cfg.site });
  const root = styled(host, nonce);
  let lastFocus = null;
  let shownBanner = false;

  const choose = (choices, action) => {
    hideAll();
    decide(choices, action).then(service.reportUnknown);
  };
  const acceptAll = () => choose(all(true), 'accept_all');
  const rejectAll = () => choose(all(false), 'reject_all');

  const bar = firstLayer(t, acceptAll, rejectAll, () => open('settings'));
  const settings = settingsLayer(L, core, { root, base, gpc, acceptAll, rejectAll, choose, close });
  root.append(bar, settings.overlay);

  function hideAll() {
    const wasOpen = !bar.hidden || !settings.overlay.hidden;
    bar.hidden = settings.overlay.hidden = true;
    if (wasOpen) {
      emit('hide');
      if (lastFocus && lastFocus.focus && lastFocus.isConnected) lastFocus.focus();
    }
  }

  function open(layer) {
    if (!layer) return;
    if (bar.hidden && settings.overlay.hidden) lastFocus = document.activeElement;
    if (layer === 'settings') {
      bar.hidden = true;
      settings.show(core.state());
    } else {
      settings.overlay.hidden = true;
      bar.hidden = false;
      bar.focus();
      if (!shownBanner) {
        // One impression per first-layer display, so ignored banners can be counted.
        // It carries no personal data and sets no cookie.
        service.beacon('impressions', { policy_version: cfg.policy, language: L.lang, gpc });
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

  // Back from /my-consent: a withdrawal or an erasure made there applies here too.
  let syncing = false;
  let alive = true;
  const syncLatest = () => {
    const state = core.state();
    if (!alive || document.hidden || syncing || !state?.k || !(state.m > Date.now())) return;
    syncing = true;
    service
      .latest(state)
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
  addEventListener('pagehide', service.reportUnknown);
  // A frame the visitor allowed loses its placeholder.
  api.on('change', () => removePlaceholders(false));

  const attach = () => {
    document.body.append(host);
    open(core.layer);
    service.reportUnknown();
    syncLatest();
  };
  if (document.body) attach();
  else document.addEventListener('DOMContentLoaded', attach);

  return {
    lang: L.lang,
    reopen: t.reopen,
    open,
    frames: placeholders(core, t, nonce),
    send: service.send,
    post: (path, body) => service.post(path, body).catch(() => {}),
    // Going away (another language is coming): its placeholders go too, to be redrawn.
    destroy() {
      alive = false;
      host.remove();
      removePlaceholders(true);
    },
  };
}

try {
  window.consent._ui(mount);
} catch (e) {
  console.error('consent banner UI:', e);
}
