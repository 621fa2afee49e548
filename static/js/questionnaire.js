/* Conditional questions: show and hide them as answers change, evaluating each question's show_if
   (data-show-if) the way reviews/scoring.py does. Without JavaScript the page still works: the server
   renders its own visibility after every save. A hidden question's answer is ignored, which may hide
   further questions, so visibility is settled by repeating until nothing changes. */
(function () {
  "use strict";
  var dataNode = document.getElementById("questionnaire-data");
  var form = document.getElementById("section-form");
  if (!dataNode || !form) return;
  var data = JSON.parse(dataNode.textContent);
  var VALUE_OPS = ["eq", "ne", "in", "not_in", "lacks"];

  function hasValue(v) {
    return v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && v.length === 0);
  }

  function readPage() {
    var answers = Object.assign({}, data.answers);
    var details = Object.assign({}, data.details);
    form.querySelectorAll(".question[data-code]").forEach(function (el) {
      var code = el.getAttribute("data-code");
      var radios = el.querySelectorAll('input[type=radio][name="q_' + code + '"]');
      var boxes = el.querySelectorAll('input[type=checkbox][name="q_' + code + '"]');
      if (radios.length) {
        var checked = Array.prototype.find.call(radios, function (r) { return r.checked; });
        if (checked) { answers[code] = checked.value; } else { delete answers[code]; }
      } else if (boxes.length) {
        var values = Array.prototype.filter.call(boxes, function (b) { return b.checked; })
          .map(function (b) { return b.value; });
        if (values.length) { answers[code] = values; } else { delete answers[code]; }
      }
      var detail = el.querySelector('textarea[name="d_' + code + '"]');
      if (detail) details[code] = detail.value.trim() !== "";
    });
    return { answers: answers, details: details };
  }

  function holds(clause, self, state) {
    var ref = clause.q || "self";
    var code = ref === "self" ? self : ref;
    var op = clause.op;
    var expected = clause.value;
    if (op === "blank" || op === "no_file" || op === "answered") {
      var actual;
      if (op === "blank") actual = !state.details[code];
      else if (op === "no_file") actual = !data.files[code];
      else actual = hasValue(state.answers[code]) || !!state.details[code];
      return actual === (expected === undefined ? true : !!expected);
    }
    if (VALUE_OPS.indexOf(op) < 0) return true;
    var subject = ref === "@category" ? data.category : state.answers[code];
    if (!hasValue(subject)) return false;
    var members = Array.isArray(subject) ? subject : [subject];
    var hit;
    if (op === "in" || op === "not_in") {
      hit = members.some(function (m) { return (expected || []).indexOf(m) >= 0; });
    } else {
      hit = members.indexOf(expected) >= 0;
    }
    return (op === "eq" || op === "in") ? hit : !hit;
  }

  function settle(state) {
    var effective = { answers: Object.assign({}, state.answers), details: Object.assign({}, state.details) };
    var visible = {};
    for (var round = 0; round <= data.order.length; round++) {
      visible = {};
      data.order.forEach(function (code) {
        var clauses = data.show_if[code] || [];
        visible[code] = clauses.every(function (c) { return holds(c, code, effective); });
      });
      var changed = false;
      Object.keys(effective.answers).forEach(function (code) {
        if (visible[code] === false) { delete effective.answers[code]; changed = true; }
      });
      Object.keys(effective.details).forEach(function (code) {
        if (visible[code] === false && effective.details[code]) { effective.details[code] = false; changed = true; }
      });
      if (!changed) break;
    }
    return visible;
  }

  function update() {
    var visible = settle(readPage());
    form.querySelectorAll(".question[data-code]").forEach(function (el) {
      var shown = visible[el.getAttribute("data-code")] !== false;
      if (el.hidden === shown) el.hidden = !shown;
    });
  }

  form.addEventListener("change", update);
  form.addEventListener("input", function (event) {
    if (event.target.tagName === "TEXTAREA") update();
  });
  update();
})();
