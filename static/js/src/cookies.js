// The page's own cookie jar. Writes go through the browser's original document.cookie
// setter, so that the guard installed by the core never blocks our own consent cookie or a
// deletion.

import { deleteCookie } from './cookie-rules.js';

export const nativeCookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');

export const writeRaw = (value) => nativeCookie.set.call(document, value);

// name -> raw value of every cookie this page can see.
export const jar = () =>
  Object.fromEntries(
    nativeCookie.get
      .call(document)
      .split(';')
      .filter(Boolean)
      .map((c) => [c.split('=')[0].trim(), c.slice(c.indexOf('=') + 1).trim()])
  );

export const readCookie = (name) => decodeURIComponent(jar()[name] || '');

// On every domain and path of this page where it may have been set.
export const forget = (name) => deleteCookie(name, location, writeRaw);
