/* Copy buttons: <button data-copy="#field" data-msg-copied="..." data-msg-failed="..." hidden>. The button is
   shown only when this script runs; without it the field can still be selected and copied by hand. Messages
   come translated from the template's data-msg-* attributes and are announced in the aria-describedby node.
   The asynchronous clipboard API needs a secure context (HTTPS or localhost); elsewhere the selection is
   copied the old way. */
(function () {
  "use strict";

  function report(button, ok) {
    var status = document.getElementById(button.getAttribute("aria-describedby"));
    if (status) status.textContent = button.getAttribute(ok ? "data-msg-copied" : "data-msg-failed") || "";
  }

  function copySelection(field) {
    field.focus();
    field.select();
    try {
      return document.execCommand("copy");
    } catch (e) {
      return false;
    }
  }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.querySelector(button.getAttribute("data-copy"));
    if (!field) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(
          function () { report(button, true); },
          function () { report(button, copySelection(field)); });
      } else {
        report(button, copySelection(field));
      }
    });
  });
})();
