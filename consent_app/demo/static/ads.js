// Stand-in for an advertising tag (Meta Pixel, Google Ads): it sets tracking cookies.
(function () {
  window.scriptOrder && window.scriptOrder.push('ad-src');
  window.demoTrackers.write('ads');
  window.adScriptRan = (window.adScriptRan || 0) + 1;
  var slot = document.getElementById('ad-slot');
  if (slot) slot.textContent = 'Advertising tag loaded: personalised offers would appear here.';
})();
