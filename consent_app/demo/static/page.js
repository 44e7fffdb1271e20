// The host page's own script: shows what it can see, and lets the "tags" try again.
(function () {
  function render() {
    document.getElementById('cookies').textContent = document.cookie || '(none)';
    var c = window.consent && window.consent.get ? window.consent.get() : null;
    document.getElementById('consent-state').textContent =
      c && c.decided ? JSON.stringify(c.categories) : '(no choice yet)';
    document.getElementById('ad-status').textContent =
      window.adScriptRan ? 'ran ' + window.adScriptRan + ' time(s)' : 'not run';
  }
  // What an already-loaded tag does on a later event: write its cookies again.
  document.getElementById('retry').addEventListener('click', function () {
    document.cookie = '_fbp=fb.1.' + Date.now() + '.retry; path=/; max-age=31536000';
    document.cookie = '_gcl_au=1.1.retry.' + Date.now() + '; path=/; max-age=31536000';
    document.cookie = 'lang=' + (navigator.language || 'en') + '; path=/; max-age=31536000';
    render();
  });
  document.getElementById('settings').addEventListener('click', function () {
    window.consent.show();
  });
  window.consent = window.consent || [];
  window.consent.push(['on', 'change', render]);
  window.consent.push(['on', 'receipt', render]);
  setInterval(render, 500);
  render();
})();
