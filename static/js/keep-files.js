/* A file chosen in a form is kept when the page comes back with an error in another field: browsers empty a
   file input on every page load, so the file is remembered in the browser (IndexedDB, this origin only) when
   it is chosen, and put back into its input when the page says the form had errors (#file-again, which
   templates/reviews/_file_again.html renders then). The notice then says the file was kept. A file the server
   refused (its input marked aria-invalid) is not put back; on any other page load of the form, what was
   remembered for it is forgotten. Without JavaScript or IndexedDB the notice asks to choose the file again. */
(function () {
  "use strict";
  if (!window.indexedDB || typeof DataTransfer === "undefined") { return; }
  var STORE = "chosen";

  function open(callback) {
    var request = indexedDB.open("vetted-chosen-files", 1);
    request.onupgradeneeded = function () { request.result.createObjectStore(STORE); };
    request.onsuccess = function () { callback(request.result); };
  }

  function key(input) { return location.pathname + "|" + input.name; }

  function fileInputs() {
    return Array.prototype.slice.call(document.querySelectorAll("form[enctype='multipart/form-data'] input[type=file]"));
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "file") { return; }
    var files = Array.prototype.slice.call(input.files || []);
    open(function (db) {
      var store = db.transaction(STORE, "readwrite").objectStore(STORE);
      if (files.length) { store.put(files, key(input)); } else { store.delete(key(input)); }
    });
  });

  document.addEventListener("DOMContentLoaded", function () {
    var inputs = fileInputs();
    if (!inputs.length) { return; }
    var notice = document.getElementById("file-again");
    open(function (db) {
      var store = db.transaction(STORE, "readwrite").objectStore(STORE);
      var kept = [];
      var pending = inputs.length;
      inputs.forEach(function (input) {
        var request = store.get(key(input));
        request.onsuccess = function () {
          var files = request.result;
          if (notice && files && files.length && input.getAttribute("aria-invalid") !== "true") {
            var transfer = new DataTransfer();
            files.forEach(function (file) { transfer.items.add(file); });
            input.files = transfer.files;
            files.forEach(function (file) { kept.push(file.name); });
          } else {
            store.delete(key(input));
          }
          pending -= 1;
          if (pending === 0 && notice && kept.length && notice.dataset.kept) {
            notice.className = "alert alert-info";
            notice.textContent = notice.dataset.kept.replace("%(names)s", kept.join(", "));
          }
        };
      });
    });
  });
})();
