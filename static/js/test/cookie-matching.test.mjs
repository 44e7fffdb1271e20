// The banner's classifier against the shared vectors that the service and the WSGI filter
// also pass (tests/vectors/test_cookie_matching.py).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { classifier } from '../src/cookie-rules.js';

const vectors = JSON.parse(readFileSync(new URL('../../../tests/vectors/cookie_matching.json', import.meta.url), 'utf8'));
const ruleFor = classifier(vectors.rules);

describe('cookie-name matching (tests/vectors/cookie_matching.json)', () => {
  for (const { about, expect } of vectors.cases) {
    test(about, () => {
      const got = Object.fromEntries(Object.keys(expect).map((name) => [name, ruleFor(name) ?? null]));
      assert.deepEqual(got, expect);
    });
  }
});
