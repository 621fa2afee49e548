/* Small behaviours of every page, kept out of the HTML so that the Content-Security-Policy can refuse every
   inline script and style attribute (config/settings/base.py). */
(function () {
  "use strict";
  // A select marked data-submit-on-change sends its form when changed (the language switch). Without
  // JavaScript the form's own button, inside <noscript>, does the same.
  document.querySelectorAll("select[data-submit-on-change]").forEach(function (select) {
    select.addEventListener("change", function () { select.form.submit(); });
  });
  // Progress bars carry their width as data-width (a percentage); setting it from here is allowed by the
  // policy, a style attribute in the page is not.
  document.querySelectorAll(".progress-bar[data-width]").forEach(function (bar) {
    var width = Math.max(0, Math.min(100, parseFloat(bar.getAttribute("data-width")) || 0));
    bar.style.width = width + "%";
  });
})();
