// ESLint for the banner (static/js). The banner runs inside other people's pages, so
// beyond ESLint's recommended rules it may not leak globals, evaluate strings as code,
// write HTML from strings (a strict Content-Security-Policy and our no-innerHTML promise
// depend on that), or reach for Node's globals. `npm run lint`.
import js from '@eslint/js';
import globals from 'globals';

// Properties that parse a string as HTML or script.
const HTML_SINKS = ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'setHTMLUnsafe', 'createContextualFragment']
  .map((property) => ({ property, message: 'Build DOM with h() or createElement: no HTML from strings.' }));

// Browser globals that are easy to use by accident in place of a local of the same name
// (a missing `close` would close the visitor's window).
const CONFUSING_GLOBALS = ['close', 'closed', 'event', 'find', 'length', 'name', 'open', 'opener', 'origin', 'parent', 'print', 'self', 'status', 'stop', 'top']
  .map((name) => ({ name, message: `Say window.${name} if the page's global is meant.` }));

export default [
  { ignores: ['static/js/dist/'] },
  { ...js.configs.recommended, files: ['static/js/**/*.{js,mjs}', '*.mjs'] },
  {
    files: ['static/js/**/*.{js,mjs}', '*.mjs'],
    languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-eval': 'error',
      'no-implied-eval': 'error',
      'no-new-func': 'error',
      'no-script-url': 'error',
      'no-var': 'error',
      'prefer-const': 'error',
      'no-shadow': 'error',
      'no-unused-vars': ['error', { caughtErrors: 'none' }],
      'no-restricted-properties': [
        'error',
        ...HTML_SINKS,
        { object: 'document', property: 'write', message: 'document.write parses HTML.' },
        { object: 'document', property: 'writeln', message: 'document.writeln parses HTML.' },
      ],
    },
  },
  {
    // What ships to visitors: browser globals only, and the only global it defines is
    // window.consent (plus Google's window.dataLayer).
    files: ['static/js/src/**/*.js'],
    // The placeholders the service replaces with the site's configuration and texts.
    languageOptions: { globals: { ...globals.browser, __SAMTYKKE_CONFIG__: 'readonly', __SAMTYKKE_UI__: 'readonly' } },
    rules: {
      'no-implicit-globals': 'error',
      'no-restricted-globals': ['error', ...CONFUSING_GLOBALS],
      'no-console': ['error', { allow: ['error'] }],
      'no-restricted-syntax': [
        'error',
        {
          selector: "AssignmentExpression > MemberExpression.left[object.name=/^(window|globalThis|self)$/][property.name!=/^(consent|dataLayer)$/]",
          message: 'The banner defines no globals besides window.consent (and dataLayer).',
        },
        {
          selector: "CallExpression[callee.property.name='setAttribute'][arguments.0.value=/^(on|style$|srcdoc$)/i]",
          message: 'No inline handlers, style attributes or srcdoc: a strict CSP refuses them.',
        },
      ],
    },
  },
  {
    // The build script and the unit tests run in Node.
    files: ['*.mjs', 'static/js/*.mjs', 'static/js/test/**/*.{js,mjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
];
