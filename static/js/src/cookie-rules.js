// What cookie names and cookie strings mean, without touching the page: which category a
// name is in, whether a write deletes, and which writes delete a cookie wherever it may
// have been set. Pure functions of their arguments, unit-tested in Node (static/js/test).

// Rules arrive as [pattern, kind, category]: kind 'e' exact, 'p' prefix, 'r' regex.
// The server sorts them exact first, then prefixes longest first, then regexes, so the
// first rule that matches decides. The service and the WSGI filter match names the same
// way: tests/vectors/cookie_matching.json holds all three to it.
// The classifier answers undefined for a name no rule knows.
export function classifier(rules) {
  const compiled = rules.map(([p, k, c]) => {
    let test = (n) => n === p;
    if (k === 'p') test = (n) => n.startsWith(p);
    if (k === 'r') {
      // The whole name must match. In Unicode mode `.` and [^…] take one character, as in
      // Python, also outside the Basic Multilingual Plane; a pattern that mode refuses
      // (a lone `{`, an escaped `-`) runs in the older mode; a broken one matches nothing
      // rather than breaking the page.
      let re = /(?!)/;
      for (const flags of ['', 'u']) {
        try {
          re = RegExp('^(?:' + p + ')$', flags);
        } catch {
          /* the last mode that compiles it wins */
        }
      }
      test = (n) => re.test(n);
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
// the page at `where` (a Location or URL); a delete must name the same domain and path, so
// `write` gets each combination. (A leading dot in Domain= is ignored by browsers, RFC 6265
// 5.2.3.)
export function deleteCookie(name, where, write) {
  const labels = where.hostname.split('.');
  const segments = where.pathname.split('/');
  for (let d = 0; d < labels.length; d++) {
    for (let p = 1; p <= segments.length; p++) {
      write(
        name + '=;max-age=0;path=/' + segments.slice(1, p).join('/') +
          (d ? ';domain=' + labels.slice(d - 1).join('.') : '')
      );
    }
  }
}
