// The UI's requests to the consent service, against a real HTTP server on loopback with
// Node's own fetch: the order requests leave in, and what an answer changes in the choice.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { after, before, beforeEach, describe, test } from 'node:test';

import { connect } from '../src/ui/service.js';

// A consent service that answers each path with what `answers` says, after `delay` ms,
// and records the requests in the order they arrived.
const received = [];
const answers = {};
const server = createServer(async (request, response) => {
  let body = '';
  for await (const chunk of request) body += chunk;
  const path = request.url.replace('/api/v1/', '');
  received.push({ path, body: JSON.parse(body) });
  const { status = 200, json = {}, delay = 0 } = answers[path] || {};
  setTimeout(() => response.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(json)), delay);
});
let base;
before(async () => {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());
beforeEach(() => {
  received.length = 0;
  for (const path in answers) delete answers[path];
});

// What the core hands the UI, around one stored choice.
function coreWith(state) {
  const core = {
    cfg: { site: 'shop' },
    state: () => state,
    keep: (secret) => secret,
    saved: 0,
    saveState: () => core.saved++,
    events: [],
    emit: (event, detail) => core.events.push([event, detail]),
    unknownSeen: new Set(),
    forget: () => (state = null),
  };
  return core;
}

const page = new URL('https://shop.example/products/a?email=x@y.z#reviews');
const choice = () => ({ s: 'k3J9abcdefghijklmnop', c: { functionality: true, advertising: false }, a: 'custom', p: '1', l: 'nb', t: 1, q: 1 });

describe('connect', () => {
  test("a preference set right after a new subject's decision waits for its answer and shows the secret it brought", async () => {
    answers.consents = { status: 201, delay: 50, json: { receipt_id: 'r-1', visitor_secret: 's-1' } };
    const state = choice();
    const service = connect(coreWith(state), base, false, page);
    await Promise.all([service.send(state), service.post('preferences', { language: 'nb' })]);
    assert.deepEqual(received, [
      {
        path: 'consents',
        body: {
          site: 'shop',
          subject_id: 'k3J9abcdefghijklmnop',
          choices: { functionality: true, advertising: false },
          action: 'custom',
          policy_version: '1',
          language: 'nb',
          page: 'https://shop.example/products/a',
          gpc: false,
        },
      },
      { path: 'preferences', body: { site: 'shop', subject_id: 'k3J9abcdefghijklmnop', visitor_secret: 's-1', language: 'nb' } },
    ]);
  });

  test('an answered decision is stored with its receipt and secret, and announced', async () => {
    answers.consents = { status: 201, json: { receipt_id: 'r-1', visitor_secret: 's-1' } };
    const state = choice();
    const core = coreWith(state);
    await connect(core, base, true, page).send(state);
    assert.equal(state.r, 'r-1');
    assert.equal(state.k, 's-1');
    assert.equal('q' in state, false);
    assert.equal(core.saved, 1);
    assert.deepEqual(core.events, [['receipt', { receipt_id: 'r-1' }]]);
    assert.equal(received[0].body.gpc, true);
  });

  test('an unanswered decision keeps its mark, so the next page sends it again', async () => {
    answers.consents = { status: 503 };
    const state = choice();
    const core = coreWith(state);
    await connect(core, base, false, page).send(state);
    assert.equal(state.q, 1);
    assert.equal(state.r, undefined);
    assert.equal(core.saved, 0);
    assert.deepEqual(core.events, []);
  });

  test('a failed request does not hold up the ones after it', async () => {
    answers.consents = { status: 500 };
    answers.preferences = { json: { stored: true } };
    const service = connect(coreWith(choice()), base, false, page);
    const failed = service.post('consents', {});
    const next = service.post('preferences', { language: 'nn' });
    await assert.rejects(failed);
    assert.deepEqual(await next, { stored: true });
    assert.deepEqual(received.map((r) => r.path), ['consents', 'preferences']);
  });

  test("an answer for a choice erased meanwhile changes nothing", async () => {
    answers.consents = { status: 201, delay: 20, json: { receipt_id: 'r-1', visitor_secret: 's-1' } };
    const state = choice();
    const core = coreWith(state);
    const sending = connect(core, base, false, page).send(state);
    core.forget();
    await sending;
    assert.equal(state.r, undefined);
    assert.equal(state.k, undefined);
    assert.equal(core.saved, 0);
  });

  test('asks for the latest receipt with the subject id and its secret', async () => {
    answers['consents/latest'] = { json: { receipt_id: 'r-2' } };
    const response = await connect(coreWith(null), base, false, page).latest({ s: 'k3J9abcdefghijklmnop', k: 's-1' });
    assert.deepEqual(await response.json(), { receipt_id: 'r-2' });
    assert.deepEqual(received, [{ path: 'consents/latest', body: { site: 'shop', subject_id: 'k3J9abcdefghijklmnop', visitor_secret: 's-1' } }]);
  });
});
