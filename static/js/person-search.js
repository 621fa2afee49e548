/* A person chosen by name: an input holding a user name or e-mail (vendors.people.OwnerInput), which works
   without script, gets a list of matching people as one types, searched on the server by name (family name
   first), user name or e-mail (data-person-search: the URL of the search, answering
   {"results": [{"value", "name", "email"}], "more"}). The browser shows the list under the input (a
   <datalist>); the name of the person typed is said beside it. The server still checks who was chosen. */
(function () {
  "use strict";

  function enhance(input) {
    var url = input.getAttribute("data-person-search");
    if (!url) return;
    var list = document.createElement("datalist");
    list.id = input.id + "-people";
    input.setAttribute("list", list.id);
    // The name beside the input: rendered by the server for the person it holds, kept up to date here.
    var said = document.getElementById(input.id + "-name");
    if (!said) {
      said = document.createElement("span");
      said.className = "person-search-name";
      said.id = input.id + "-name";
      said.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", said);
    }
    input.insertAdjacentElement("afterend", list);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(said.id);
    input.setAttribute("aria-describedby", described.join(" "));
    var names = {};
    if (input.value.trim() && said.textContent.trim()) names[input.value.trim()] = said.textContent.trim();
    var timer = null;
    var asked = 0;

    function sayName() {
      var person = names[input.value.trim()];
      said.textContent = person || "";
    }

    function search() {
      var term = input.value.trim();
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(term), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) {
          if (ticket !== asked) return; // an older answer arriving after a newer one
          list.textContent = "";
          answer.results.forEach(function (person) {
            var option = document.createElement("option");
            option.value = person.value;
            option.label = person.email ? person.name + " · " + person.email : person.name;
            list.appendChild(option);
            names[person.value] = person.name;
          });
          sayName();
        })
        .catch(function () { /* the input still takes a user name or e-mail */ });
    }

    input.addEventListener("input", function () {
      sayName();
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("focus", function () { if (!list.children.length) search(); });
    if (input.value.trim()) search();
  }

  function start() {
    document.querySelectorAll("input[data-person-search]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
