/* Small behaviours of every page (the language switch is js/language.js), kept out of the HTML so that the Content-Security-Policy can refuse every
   inline script and style attribute (config/settings/base.py). */
(function () {
  "use strict";
  // Progress bars carry their width as data-width (a percentage); setting it from here is allowed by the
  // policy, a style attribute in the page is not.
  document.querySelectorAll(".progress-bar[data-width]").forEach(function (bar) {
    var width = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-width")) || 0));
    bar.style.width = width + "%";
  });
})();
