// Talking to the consent service: decisions, preferences, the names of unknown cookies,
// impressions, and the latest receipt after a visit to /my-consent. It lives in the UI
// script, so a returning visitor whose choice is stored never downloads it; the core
// hands calls made before it arrived over in order.
import { newSubject } from '../choice.js';

// `core` is what the core gives the UI; `base` the service's origin; `page` the page's
// Location (read when a decision is sent: single-page apps move).
export function connect(core, base, gpc, page) {
  const { cfg, emit, saveState } = core;
  const reported = new Set();

  // A POST on behalf of the subject of `state`. A cross-origin fetch sends no cookies by
  // default: there is nothing to omit.
  const call = (path, state, body, keepalive) =>
    fetch(base + '/api/v1/' + path, {
      method: 'POST',
      keepalive,
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ site: cfg.site, subject_id: state?.s, visitor_secret: state?.k, ...body }),
    });

  // Requests go one at a time, in order: a new subject's first decision brings back the
  // secret that its next decision and its preferences must show. They outlive the page.
  let queue = Promise.resolve();
  const post = (path, body) => {
    const request = queue.then(() =>
      call(path, core.state(), body, true).then((response) => (response.ok ? response.json() : Promise.reject(response)))
    );
    queue = request.catch(() => {});
    return request;
  };

  // Send a choice (the core's `decide` made it the stored one). Until the service answers,
  // its `q` mark stays, and the core sends it again on the next page.
  const send = (sent, renewed) =>
    post('consents', {
      choices: sent.c,
      action: sent.a,
      policy_version: sent.p,
      language: sent.l,
      page: page.origin + page.pathname,
      gpc,
    })
      .then(({ visitor_secret: secret, ...receipt }) => {
        const state = core.state();
        if (state?.s !== sent.s) return; // erased meanwhile
        if (secret) state.k = core.keep(secret);
        if (state === sent) {
          state.r = receipt.receipt_id;
          delete state.q;
          emit('receipt', receipt);
        }
        saveState();
      })
      .catch((refused) =>
        // The service will not take this subject from us: it was erased, or it predates
        // visitor secrets, or its secret was lost. Go on as a new subject (once) rather
        // than lose the decision; the old receipts stay with the site's auditors.
        refused?.status === 403 && !renewed && core.state() === sent
          ? refused.json().then(({ error }) => {
              if (!/visitor_secret/.test(error)) return;
              delete sent.k;
              core.keep(undefined, (sent.s = newSubject()));
              return send(sent, 1);
            })
          : undefined
      )
      .catch(() => {});

  const beacon = (path, body) => {
    if (navigator.sendBeacon) navigator.sendBeacon(base + '/api/v1/' + path, JSON.stringify({ site: cfg.site, ...body }));
  };

  // Names (never values) of cookies no rule knows, for the admin's review queue.
  const reportUnknown = () => {
    const names = [...core.unknownSeen].filter((n) => !reported.has(n)).slice(0, 50);
    names.forEach((n) => reported.add(n));
    if (names.length) beacon('cookies/reports', { names });
  };

  // The subject's latest receipt (a withdrawal made on /my-consent), or 410 when erased.
  const latest = (state) => call('consents/latest', state);

  return { post, send, beacon, reportUnknown, latest };
}
