/* A form marked data-busy="message" says so while its request runs (confirming an inventory of thousands of
   rows takes seconds) and ignores a second click meanwhile, so that impatience does not send it twice.
   Without JavaScript the form works as usual. */
(function () {
  "use strict";
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.dataset.busy) { return; }
    if (form.dataset.sending) { event.preventDefault(); return; }
    form.dataset.sending = "1";
    var status = document.createElement("p");
    status.setAttribute("role", "status");
    status.className = "busy-status";
    var bar = document.createElement("progress");
    status.appendChild(bar);
    status.appendChild(document.createTextNode(" " + form.dataset.busy));
    form.appendChild(status);
  });

  // Coming back to the page from the browser's cache: the form may be sent again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-sending]"), function (form) {
      delete form.dataset.sending;
      Array.prototype.forEach.call(form.querySelectorAll(".busy-status"), function (s) { s.remove(); });
    });
  });
})();
