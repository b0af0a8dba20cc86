// Embed mode (www/sharing/embed.js): marks <html data-embed> before the first paint so the CSS
// hides the page's chrome. A classic script loaded from index.html's <head> (the page's
// Content-Security-Policy allows no inline script).
(function () {
  var v = new URLSearchParams(location.search).get('embed');
  if (['timeline', 'cluster', 'isr', 'map', 'summary'].indexOf(v) >= 0) document.documentElement.setAttribute('data-embed', v);
})();
