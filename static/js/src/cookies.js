// Reading, classifying and deleting cookies on the customer's own domain. Writes go
// through the browser's original document.cookie setter, so that the guard installed by
// the core never blocks our own consent cookie or a deletion.

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

// Rules arrive as [pattern, kind, category]: kind 'e' exact, 'p' prefix, 'r' regex.
// The server sorts them exact first, then prefixes longest first, then regexes.
// The classifier answers undefined for a name no rule knows.
export function classifier(rules) {
  const compiled = rules.map(([p, k, c]) => {
    let test = (n) => n === p;
    if (k === 'p') test = (n) => n.startsWith(p);
    if (k === 'r') {
      try {
        const re = RegExp('^(?:' + p + ')$');
        test = (n) => re.test(n);
      } catch (e) {
        test = () => 0; // a broken pattern matches nothing rather than breaking the page
      }
    }
    return [test, c];
  });
  return (name) => {
    for (const [test, category] of compiled) if (test(name)) return category;
  };
}

// A write that removes a cookie is always allowed, whatever its category.
export function isDeletion(cookieString) {
  const maxAge = /;\s*max-age=\s*(-?\d+)/i.exec(cookieString);
  const expires = /;\s*expires=([^;]+)/i.exec(cookieString);
  return maxAge ? maxAge[1] <= 0 : !!expires && Date.parse(expires[1]) <= Date.now();
}

// A cookie may have been set on this host or any parent domain, and on any parent path of
// this page; a delete must name the same domain and path, so try each combination.
// (A leading dot in Domain= is ignored by browsers, RFC 6265 5.2.3.)
export function deleteCookie(name) {
  const labels = location.hostname.split('.');
  const segments = location.pathname.split('/');
  for (let d = 0; d < labels.length; d++) {
    for (let p = 1; p <= segments.length; p++) {
      writeRaw(
        name + '=;max-age=0;path=/' + segments.slice(1, p).join('/') +
          (d ? ';domain=' + labels.slice(d - 1).join('.') : '')
      );
    }
  }
}
