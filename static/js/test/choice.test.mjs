// What a visitor's choice tells Google Consent Mode, which languages the banner asks texts
// in, and the ids a choice is recorded under.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { consentSignals, newSubject, wantedLanguages } from '../src/choice.js';

describe('consentSignals', () => {
  const grants = (...granted) => (category) => category === 'necessary' || granted.includes(category);

  test('the defaults deny everything but security storage, and ask tags to wait', () => {
    assert.deepEqual(consentSignals(0, grants('advertising', 'functionality'), ['functionality', 'advertising']), {
      wait_for_update: 500,
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'denied',
      functionality_storage: 'denied',
      personalization_storage: 'denied',
      security_storage: 'granted',
    });
  });

  test('an update follows the grants: functionality covers personalisation storage', () => {
    assert.deepEqual(consentSignals(1, grants('functionality'), ['functionality', 'advertising']), {
      ad_storage: 'denied',
      ad_user_data: 'denied',
      ad_personalization: 'denied',
      analytics_storage: 'denied',
      functionality_storage: 'granted',
      personalization_storage: 'granted',
      security_storage: 'granted',
    });
  });

  test('analytics storage goes with advertising unless the site has an analytics category', () => {
    const categories = ['functionality', 'advertising'];
    assert.equal(consentSignals(1, grants('advertising'), categories).analytics_storage, 'granted');
    assert.equal(consentSignals(1, grants('advertising'), [...categories, 'analytics']).analytics_storage, 'denied');
    assert.equal(consentSignals(1, grants('analytics'), [...categories, 'analytics']).analytics_storage, 'granted');
    assert.equal(consentSignals(1, grants('analytics'), [...categories, 'analytics']).ad_storage, 'denied');
  });
});

describe('wantedLanguages', () => {
  const script = (lang) => ({ dataset: lang ? { lang } : {} });
  const page = (lang) => ({ documentElement: { lang } });
  const browser = (...languages) => ({ languages });

  test('the modal, the stored preference, the last choice, data-lang, <html lang>, then the browser', () => {
    assert.equal(wantedLanguages('nb', 'nn', 'sv', script('de'), page('fi'), browser('pl', 'en-GB')), 'nb,nn,sv,de,fi,pl,en-GB');
  });

  test('sources that say nothing are skipped', () => {
    assert.equal(wantedLanguages(undefined, undefined, 'sv', script(), page(''), browser()), 'sv');
    assert.equal(wantedLanguages(null, undefined, undefined, script(), page(''), browser('nb-NO', 'en')), 'nb-NO,en');
  });
});

describe('newSubject', () => {
  test('is 128 random bits in hex, which the service accepts as a subject id', () => {
    const ids = new Set(Array.from({ length: 100 }, newSubject));
    assert.equal(ids.size, 100);
    for (const id of ids) {
      assert.match(id, /^[0-9a-f]{32}$/);
      assert.match(id, /^[A-Za-z0-9_-]{16,64}$/); // consent_app/services/visitor.py SUBJECT_ID
    }
  });
});
