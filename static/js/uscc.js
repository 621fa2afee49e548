/* As-you-type check of a Unified Social Credit Code (GB 32100-2015), the same algorithm as vendors/uscc.py.
   Malformed codes show an error; a checksum mismatch only a warning (some early Fujian codes are valid
   anyway). A well-formed code is looked up in the register so a known vendor is shown before submitting.
   Messages come translated from the template's data-msg-* attributes. */
(function () {
  "use strict";
  var CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  var FORBIDDEN = "IOSVZ";

  // As vendors/uscc.py normalize_uscc: full-width characters from a Chinese input method made half-width (NFKC).
  function normalize(raw) { return (raw || "").normalize("NFKC").replace(/\s+/g, "").toUpperCase(); }

  function checkCharacter(first17) {
    var total = 0, weight = 1;
    for (var i = 0; i < 17; i++) {
      total += CHARSET.indexOf(first17[i]) * weight;
      weight = (weight * 3) % 31;
    }
    return CHARSET[(31 - (total % 31)) % 31];
  }

  function uniq(chars) {
    return chars.filter(function (c, i) { return chars.indexOf(c) === i; }).sort();
  }

  /* {level: "error"|"warning"|"ok"|"", key, params, code} */
  function check(raw) {
    var code = normalize(raw);
    if (!code) return { level: "" };
    if (code.length !== 18) return { level: "error", key: "length", params: { n: code.length } };
    var chars = code.split("");
    var bad = uniq(chars.filter(function (c) { return FORBIDDEN.indexOf(c) >= 0; }));
    if (bad.length) return { level: "error", key: "forbidden", params: { chars: bad.join(", ") } };
    var other = uniq(chars.filter(function (c) { return CHARSET.indexOf(c) < 0; }));
    if (other.length) return { level: "error", key: "charset", params: { chars: other.join(" ") } };
    if (!/^\d{6}$/.test(code.slice(2, 8))) return { level: "error", key: "division", params: {} };
    var expected = checkCharacter(code.slice(0, 17));
    if (code[17] !== expected) return { level: "warning", key: "checksum", params: { expected: expected }, code: code };
    return { level: "ok", key: "ok", params: {}, code: code };
  }

  function format(template, params) {
    return (template || "").replace(/\{(\w+)\}/g, function (m, name) {
      return params[name] !== undefined ? params[name] : m;
    });
  }

  window.VettedUscc = { check: check, checkCharacter: checkCharacter, normalize: normalize };

  var container = document.getElementById("uscc-field");
  if (!container) return;
  var input = container.querySelector("[data-uscc-input]");
  var live = document.getElementById("uscc-live");
  var lookupTimer = null;
  // The server's own warning (with its confirmation box) stands in for the live one until the code changes.
  var serverWarning = document.getElementById("uscc-warning");

  function message(key) { return container.getAttribute("data-msg-" + key); }

  function show(result) {
    input.classList.remove("is-invalid", "is-valid", "is-warning");
    live.className = "uscc-live small mb-3";
    live.textContent = "";
    if (!result.level) return;
    if (result.level === "warning" && serverWarning && !serverWarning.hidden) {
      input.classList.add("is-warning");
      return;
    }
    live.textContent = format(message(result.key), result.params);
    if (result.level === "error") { input.classList.add("is-invalid"); live.classList.add("text-danger"); }
    if (result.level === "warning") { input.classList.add("is-warning"); live.classList.add("text-warning-emphasis"); }
    if (result.level === "ok") { input.classList.add("is-valid"); live.classList.add("text-success"); }
  }

  function lookup(code) {
    var url = container.getAttribute("data-lookup-url");
    if (!url || !window.fetch) return;
    fetch(url + "?uscc=" + encodeURIComponent(code), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data || !data.known || normalize(input.value) !== code) return;
        var note = document.createElement("div");
        note.className = "text-info-emphasis fw-semibold";
        note.textContent = format(message("known"), { name: data.name, status: data.status_label });
        live.appendChild(note);
      })
      .catch(function () { /* the server checks again on submit */ });
  }

  function update() {
    var result = check(input.value);
    show(result);
    clearTimeout(lookupTimer);
    if (result.code) lookupTimer = setTimeout(function () { lookup(result.code); }, 250);
  }

  input.addEventListener("input", function () {
    if (serverWarning) serverWarning.hidden = true;
    update();
  });
  if (input.value) update();
})();
