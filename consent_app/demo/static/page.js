// The host page's own script: shows what it can see, and lets the tags try again.
(function () {
  var $ = function (id) { return document.getElementById(id); };
  function render() {
    var list = $('cookies');
    list.textContent = '';
    document.cookie.split(';').map(function (c) { return c.split('=')[0].trim(); })
      .filter(Boolean).sort().forEach(function (name) {
        var li = document.createElement('li');
        li.textContent = name;
        list.appendChild(li);
      });
    if (!list.children.length) list.textContent = '(none)';
    var c = window.consent && window.consent.get ? window.consent.get() : null;
    $('consent-state').textContent = c && c.decided
      ? Object.keys(c.categories).map(function (k) { return k + ': ' + (c.categories[k] ? 'yes' : 'no'); }).join(', ') +
        (c.receipt ? ' (receipt ' + c.receipt + ')' : '')
      : '(no choice yet)';
    $('ad-status').textContent = window.adScriptRan ? 'ran ' + window.adScriptRan + ' time(s)' : 'not run';
    var lang = c && window.consent.getPreference('language');
    var where = c && window.consent.getPreference('location');
    $('prefs').textContent = lang || where ? [lang, where].filter(Boolean).join(', ') : '(none)';
  }
  $('retry').addEventListener('click', function () { window.demoTrackers.write('retry'); setTimeout(render, 100); });
  $('settings').addEventListener('click', function () { window.consent.show(); });
  $('remember').addEventListener('click', function () {
    var okLang = window.consent.setPreference('language', $('pref-lang').value);
    var okWhere = window.consent.setPreference('location', $('pref-location').value);
    $('prefs').textContent = okLang && okWhere ? 'saved' : 'not saved: functionality cookies are off';
  });
  window.consent.push(['on', 'change', render]);
  window.consent.push(['on', 'receipt', render]);
  setInterval(render, 1000);
  render();
})();
