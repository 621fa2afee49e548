/* The marketing-activity form (templates/activities/activity_form.html):
   - the vendors field takes credit codes; typing part of a name or code on a line offers up to ten vendors
     of the register (activities:vendor_lookup), and choosing one puts its code on that line. The server
     checks every code again on submit, so the form works without this script.
   - the justification of a price difference is shown, and marked required, only while "prices or terms
     differ" is ticked (or when it already holds text or an error).
   Messages come translated from the template's data-msg-* attributes. */
(function () {
  "use strict";

  function format(template, params) {
    return (template || "").replace(/\{(\w+)\}/g, function (m, name) {
      return params[name] !== undefined ? params[name] : m;
    });
  }

  // --- Vendor lookup ---------------------------------------------------------------------------------------
  var box = document.getElementById("vendor-lookup");
  var input = box && box.querySelector("[data-vendor-codes]");
  if (box && input) {
    var list = document.getElementById("vendor-suggestions");
    var status = document.getElementById("vendor-lookup-status");
    var url = box.getAttribute("data-lookup-url");
    var timer = null, lastTerm = "";
    var message = function (key) { return box.getAttribute("data-msg-" + key); };

    /* The term being typed: the text of the caret's line after its last comma, and where it sits. */
    var currentTerm = function () {
      var value = input.value, caret = input.selectionStart || value.length;
      var start = Math.max(value.lastIndexOf("\n", caret - 1), value.lastIndexOf(",", caret - 1),
                           value.lastIndexOf("，", caret - 1)) + 1;
      var end = value.indexOf("\n", caret);
      if (end < 0) { end = value.length; }
      return { text: value.slice(start, end).trim(), start: start, end: end };
    };

    var hide = function () { list.hidden = true; list.textContent = ""; };

    var choose = function (vendor, term) {
      var value = input.value;
      var before = value.slice(0, term.start), after = value.slice(term.end);
      // The code replaces the term on its line; a new line follows for the next one.
      var line = vendor.uscc + (after.charAt(0) === "\n" ? "" : "\n");
      input.value = before + line + after;
      var caret = (before + line).length;
      input.focus();
      input.setSelectionRange(caret, caret);
      status.textContent = format(message("added"), { name: vendor.name });
      hide();
    };

    var show = function (vendors, term) {
      list.textContent = "";
      if (!vendors.length) {
        status.textContent = format(message("none"), { term: term.text });
        list.hidden = true;
        return;
      }
      status.textContent = format(message("found"), { n: vendors.length });
      vendors.forEach(function (vendor) {
        var item = document.createElement("li");
        item.className = "list-group-item py-2";
        var button = document.createElement("button");
        button.type = "button";
        button.className = "btn btn-link p-0 text-start fw-semibold";
        button.textContent = vendor.name;
        button.addEventListener("click", function () { choose(vendor, currentTerm()); });
        var code = document.createElement("span");
        code.className = "mono uscc ms-2";
        code.textContent = vendor.uscc;
        var state = document.createElement("span");
        state.className = "badge ms-2 " + (vendor.usable ? "text-bg-success" : "text-bg-secondary");
        state.textContent = vendor.status_label + (vendor.usable ? "" : " · " + message("not-approved"));
        item.appendChild(button); item.appendChild(code); item.appendChild(state);
        if (vendor.scope) {
          var scope = document.createElement("div");
          scope.className = "small text-body-secondary";
          scope.textContent = vendor.scope;
          item.appendChild(scope);
        }
        list.appendChild(item);
      });
      list.hidden = false;
    };

    var lookup = function () {
      var term = currentTerm();
      // A complete 18-character code needs no suggestion; one or no character would match too much.
      if (term.text.length < 2 || /^[0-9A-Z]{18}$/i.test(term.text)) { hide(); status.textContent = ""; return; }
      if (term.text === lastTerm && !list.hidden) { return; }
      lastTerm = term.text;
      if (!window.fetch) { return; }
      fetch(url + "?q=" + encodeURIComponent(term.text), { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (data && currentTerm().text === term.text) { show(data.vendors || [], term); }
        })
        .catch(function () { /* the server checks every code on submit */ });
    };

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(lookup, 250); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !list.hidden) { hide(); event.preventDefault(); }
      if (event.key === "ArrowDown" && !list.hidden) {
        var first = list.querySelector("button");
        if (first) { first.focus(); event.preventDefault(); }
      }
    });
    list.addEventListener("keydown", function (event) {
      var buttons = Array.prototype.slice.call(list.querySelectorAll("button"));
      var index = buttons.indexOf(document.activeElement);
      if (event.key === "ArrowDown" && index < buttons.length - 1) { buttons[index + 1].focus(); event.preventDefault(); }
      if (event.key === "ArrowUp") { (index > 0 ? buttons[index - 1] : input).focus(); event.preventDefault(); }
      if (event.key === "Escape") { hide(); input.focus(); event.preventDefault(); }
    });
  }

  // --- Price difference and its justification ------------------------------------------------------------------
  var pricing = document.getElementById("id_personalised_pricing");
  var wrapper = document.getElementById("pricing-justification");
  if (pricing && wrapper) {
    var field = document.getElementById("id_pricing_justification");
    var label = wrapper.querySelector("label");
    var mark = document.createElement("span");
    mark.className = "asteriskField";
    mark.textContent = wrapper.getAttribute("data-required-mark") || "*";
    var keepShown = !!(field && field.value.trim()) || !!wrapper.querySelector(".is-invalid, .invalid-feedback");
    var sync = function () {
      wrapper.hidden = !pricing.checked && !keepShown;
      if (field) { field.setAttribute("aria-required", pricing.checked ? "true" : "false"); }
      if (label) {
        if (pricing.checked && !label.contains(mark)) { label.appendChild(mark); }
        if (!pricing.checked && label.contains(mark)) { label.removeChild(mark); }
      }
    };
    pricing.addEventListener("change", function () { keepShown = false; sync(); });
    sync();
  }
})();
