/* Uploads can be large (up to UPLOAD_MAX_MB) and corporate networks slow: a form that sends files says so,
   with how many files and how much, and an animated bar, until the next page arrives, instead of a page
   that seems to hang. The form is submitted by the browser as usual; a second submission while the first is
   on its way is ignored, so that impatience does not upload everything twice. Without JavaScript, or when a
   form sends no file, nothing changes. */
(function () {
  "use strict";
  var template = document.getElementById("upload-progress-template");
  if (!template) { return; }

  function selectedFiles(form) {
    var files = [];
    Array.prototype.forEach.call(form.querySelectorAll("input[type=file]"), function (input) {
      Array.prototype.push.apply(files, input.files || []);
    });
    return files;
  }

  function megabytes(bytes) {
    return (bytes / (1024 * 1024)).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0);
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || form.enctype !== "multipart/form-data") { return; }
    if (form.dataset.uploading) { event.preventDefault(); return; }
    var files = selectedFiles(form);
    if (!files.length) { return; }
    form.dataset.uploading = "1";
    var bytes = files.reduce(function (sum, file) { return sum + file.size; }, 0);
    var panel = template.content.firstElementChild.cloneNode(true);
    panel.querySelector("[data-label]").textContent = panel.dataset.message
      .replace("{files}", String(files.length)).replace("{size}", megabytes(bytes));
    form.appendChild(panel);
  });

  // Coming back to the page from the browser's cache: the form may be sent again.
  window.addEventListener("pageshow", function () {
    Array.prototype.forEach.call(document.querySelectorAll("form[data-uploading]"), function (form) {
      delete form.dataset.uploading;
      Array.prototype.forEach.call(form.querySelectorAll(".upload-progress"), function (p) { p.remove(); });
    });
  });
})();
