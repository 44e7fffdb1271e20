// Reading, classifying and deleting cookies on the customer's own domain.
// Writes go through the browser's original document.cookie setter, so that the guard
// installed by the core never blocks our own consent cookie or a deletion.

const nativeCookie = Object.getOwnPropertyDescriptor(Document.prototype, 'cookie');

export const readRaw = () => nativeCookie.get.call(document);
export const writeRaw = (value) => nativeCookie.set.call(document, value);

export function cookieNames() {
  return readRaw().split(';').map((c) => c.split('=')[0].trim()).filter(Boolean);
}

export function readCookie(name) {
  for (const part of readRaw().split(';')) {
    const i = part.indexOf('=');
    if (part.slice(0, i).trim() === name) return decodeURIComponent(part.slice(i + 1).trim());
  }
  return null;
}

// Rules arrive as [pattern, kind, category]: kind 'e' exact, 'p' prefix, 'r' regex.
// The server sorts them exact first, then prefixes longest first, then regexes.
export function classifier(rules, fallback) {
  const compiled = rules.map(([p, k, c]) => {
    if (k === 'r') {
      try {
        const re = new RegExp('^(?:' + p + ')$');
        return [(n) => re.test(n), c];
      } catch (e) {
        return [() => false, c];
      }
    }
    return [k === 'p' ? (n) => n.startsWith(p) : (n) => n === p, c];
  });
  return (name) => {
    for (const [test, category] of compiled) if (test(name)) return category;
    return fallback;
  };
}

// A write that removes a cookie is always allowed, whatever its category.
export function isDeletion(cookieString) {
  const attrs = cookieString.toLowerCase();
  const maxAge = /;\s*max-age=\s*(-?\d+)/.exec(attrs);
  if (maxAge) return +maxAge[1] <= 0;
  const expires = /;\s*expires=([^;]+)/.exec(attrs);
  return !!expires && Date.parse(expires[1]) <= Date.now();
}

// Cookies may have been set on any parent domain and on any parent path of this page:
// a delete must name the same domain and path, so try each combination.
export function deleteCookie(name) {
  const host = location.hostname;
  const labels = host.split('.');
  const domains = [''];
  for (let i = 0; i < labels.length - 1; i++) {
    const d = labels.slice(i).join('.');
    domains.push(';domain=' + d, ';domain=.' + d);
  }
  const paths = ['/'];
  const segments = location.pathname.split('/');
  for (let i = 2; i <= segments.length; i++) paths.push(segments.slice(0, i).join('/'));
  for (const domain of domains) {
    for (const path of paths) {
      writeRaw(name + '=;Max-Age=0;expires=Thu, 01 Jan 1970 00:00:00 GMT;path=' + path + domain);
    }
  }
}
