// What a visitor's choice tells others and asks for, without touching the page: the
// signals Google Consent Mode gets, the languages to ask the banner texts in, and the
// random id a choice is recorded under. Pure functions of their arguments, unit-tested in
// Node (static/js/test). (Whether a category is granted, and whether a stored choice still
// holds, stay inline in core.js: as functions here they cost the returning visitor's
// download some 40 bytes; the e2e tests cover them.)

export const NECESSARY = 'necessary';
export const ADVERTISING = 'advertising';
export const FUNCTIONALITY = 'functionality';

// Google Consent Mode v2 signals: the defaults go out denied (security granted); an update
// follows the visitor's grants. Functionality covers functionality and personalisation
// storage, advertising the three ad signals (and analytics, unless the site has its own
// category).
const SIGNALS = 'ad_storage ad_user_data ad_personalization analytics_storage functionality_storage personalization_storage security_storage'.split(' ');
export function consentSignals(update, isGranted, categories) {
  const signals = update ? {} : { wait_for_update: 500 };
  [ADVERTISING, ADVERTISING, ADVERTISING, categories.includes('analytics') ? 'analytics' : ADVERTISING, FUNCTIONALITY, FUNCTIONALITY, NECESSARY].forEach(
    (category, i) => (signals[SIGNALS[i]] = (update ? isGranted(category) : category === NECESSARY) ? 'granted' : 'denied')
  );
  return signals;
}

// The languages the visitor wants, best first: chosen in the modal, the stored preference,
// the language of their last choice, data-lang on our script tag, the page's <html lang>,
// then the browser's. The service picks the first it has texts for, else the site's default.
export const wantedLanguages = (chosen, preferred, spoken, script, page, browser) =>
  [chosen, preferred, spoken, script.dataset.lang, page.documentElement.lang, ...browser.languages].filter(Boolean).join();

// 128 random bits as hex. (crypto.randomUUID exists only on https pages.)
export const newSubject = () => [...crypto.getRandomValues(new Uint8Array(16))].map((b) => (b + 256).toString(16).slice(1)).join('');
