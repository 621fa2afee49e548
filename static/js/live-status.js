/* Work that finishes in the background (a dossier being generated) is shown by elements marked
   data-live-status, each with an id. While any is on the page, the page is fetched again every few seconds
   and each such element is replaced by its fresh copy; once none is left (the work is done or failed), the
   polling stops. Without JavaScript the element says to reload the page. */
(function () {
  "use strict";
  var DELAY = 3000;
  function poll() {
    var live = document.querySelectorAll("[data-live-status][id]");
    if (!live.length) { return; }
    fetch(window.location.href, { credentials: "same-origin" })
      .then(function (response) { return response.ok ? response.text() : Promise.reject(response.status); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html");
        Array.prototype.forEach.call(live, function (element) {
          var copy = fresh.getElementById(element.id);
          if (copy) { element.replaceWith(document.importNode(copy, true)); }
        });
        window.setTimeout(poll, DELAY);
      })
      .catch(function () { window.setTimeout(poll, DELAY * 4); });
  }
  window.setTimeout(poll, DELAY);
})();
