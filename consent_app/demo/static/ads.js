// Stand-in for an advertising tag (Meta Pixel, Google Ads): it sets tracking cookies.
(function () {
  var oneYear = '; path=/; max-age=31536000';
  document.cookie = '_fbp=fb.1.' + Date.now() + '.' + Math.floor(Math.random() * 1e9) + oneYear;
  document.cookie = '_gcl_au=1.1.' + Math.floor(Math.random() * 1e9) + '.' + Date.now() + oneYear;
  window.adScriptRan = (window.adScriptRan || 0) + 1;
  var slot = document.getElementById('ad-slot');
  if (slot) slot.textContent = 'Advertising tag loaded: personalised offers would appear here.';
})();
