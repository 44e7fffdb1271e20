// Stand-in for a tag that was loaded without a consent category (a tag manager, a pixel
// pasted into the template): it writes its cookies through every API browsers offer.
(function () {
  var year = '; path=/; max-age=31536000';
  window.demoTrackers = {
    write: function (why) {
      var stamp = Date.now() + '.' + why;
      document.cookie = '_fbp=fb.1.' + stamp + year;
      document.cookie = '_gcl_au=1.1.' + stamp + year;
      document.cookie = 'nordlys_vid=' + stamp + year; // no rule knows this one
      if (window.cookieStore) {
        var later = Date.now() + 365 * 864e5;
        cookieStore.set({ name: '_fbp', value: 'cs.' + stamp, expires: later }).catch(function () {});
        cookieStore.set('_gcl_au', 'cs.' + stamp).catch(function () {});
        cookieStore.set('nordlys_cs', 'cs.' + stamp).catch(function () {});
      }
    },
  };
  window.demoTrackers.write('load');
})();
