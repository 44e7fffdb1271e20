// The banner's cookie logic, run in Node: what counts as a deletion, which writes delete a
// cookie everywhere it may be, and the classifier's handling of rules it cannot use.
// (Name matching itself is tested against tests/vectors/, see cookie-matching.test.mjs.)
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { classifier, deleteCookie, isDeletion } from '../src/cookie-rules.js';

describe('isDeletion', () => {
  for (const [cookie, deletes] of [
    ['a=1; Max-Age=0', true],
    ['a=1;max-age=-1', true],
    ['a=1; MAX-AGE=0', true],
    ['a=1; max-age= 0', true],
    ['a=1; max-age=3600', false],
    ['a=; expires=Thu, 01 Jan 1970 00:00:00 GMT', true],
    ['a=1; Expires=Fri, 01 Jan 2100 00:00:00 GMT', false],
    ['a=1; expires=not a date', false],
    ['a=1', false],
    ['a=max-age=0', false], // in the value, not an attribute
    ['a=1; expires=Thu, 01 Jan 1970 00:00:00 GMT; max-age=60', false], // Max-Age wins (RFC 6265 5.3)
  ]) {
    test(`${JSON.stringify(cookie)} ${deletes ? 'deletes' : 'does not delete'}`, () => {
      assert.equal(isDeletion(cookie), deletes);
    });
  }
});

describe('deleteCookie', () => {
  const writes = (url) => {
    const written = [];
    deleteCookie('_ga', new URL(url), (value) => written.push(value));
    return written;
  };

  test('expires the cookie on this host, every parent domain and every parent path', () => {
    assert.deepEqual(writes('https://www.shop.example.com/a/b?x=1#top'), [
      '_ga=;max-age=0;path=/',
      '_ga=;max-age=0;path=/a',
      '_ga=;max-age=0;path=/a/b',
      '_ga=;max-age=0;path=/;domain=www.shop.example.com',
      '_ga=;max-age=0;path=/a;domain=www.shop.example.com',
      '_ga=;max-age=0;path=/a/b;domain=www.shop.example.com',
      '_ga=;max-age=0;path=/;domain=shop.example.com',
      '_ga=;max-age=0;path=/a;domain=shop.example.com',
      '_ga=;max-age=0;path=/a/b;domain=shop.example.com',
      '_ga=;max-age=0;path=/;domain=example.com',
      '_ga=;max-age=0;path=/a;domain=example.com',
      '_ga=;max-age=0;path=/a/b;domain=example.com',
    ]);
  });

  test('never names a top-level domain', () => {
    assert.ok(writes('https://shop.example.com/').every((w) => !w.endsWith(';domain=com')));
  });

  test('a directory path with a trailing slash is a path of its own', () => {
    assert.deepEqual(new Set(writes('http://localhost/shop/')), new Set(['_ga=;max-age=0;path=/', '_ga=;max-age=0;path=/shop', '_ga=;max-age=0;path=/shop/']));
  });

  test('writes only deletions', () => {
    assert.ok(writes('https://a.b.example/x/y/z').every((w) => w.startsWith('_ga=;max-age=0;')));
  });
});

describe('classifier', () => {
  test('answers undefined for a name no rule knows', () => {
    assert.equal(classifier([['_ga', 'p', 'advertising']])('lang'), undefined);
  });

  test('a broken regex matches nothing and does not stop the rules after it', () => {
    const ruleFor = classifier([['(', 'r', 'advertising'], ['[', 'r', 'advertising'], ['x.*', 'r', 'functionality']]);
    assert.equal(ruleFor('('), undefined);
    assert.equal(ruleFor('xyz'), 'functionality');
  });

  test('a pattern Unicode mode refuses still works as the service reads it', () => {
    // `\-` outside a class and a lone `{` are errors in Unicode mode; Python accepts both.
    const ruleFor = classifier([['a\\-b', 'r', 'functionality'], ['x{', 'r', 'advertising']]);
    assert.equal(ruleFor('a-b'), 'functionality');
    assert.equal(ruleFor('x{'), 'advertising');
    assert.equal(ruleFor('ab'), undefined);
  });
});
