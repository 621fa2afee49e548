/* A person chosen by name, as an ARIA combobox (WAI-ARIA Authoring Practices: an editable combobox with list
   autocomplete). The input (vendors.people.PersonCombobox) holds a user name or e-mail and works without
   script: the server finds the person by either. With script, what is typed is searched on the server by
   name (family name first, either order), user name or e-mail (data-person-combobox: the URL of the search,
   answering {"results": [{"value", "name", "email"}], "more"}), and the people found are listed under the
   input: Down and Up move through them, Enter or a click chooses one (the input then holds their user name),
   Escape closes the list. The name of the person chosen is said beside the input. The server still checks who
   was chosen. No library, no CDN. */
(function () {
  "use strict";

  var count = 0;

  function enhance(input) {
    var url = input.getAttribute("data-person-combobox");
    if (!url) return;
    count += 1;
    var listId = (input.id || "person-combobox-" + count) + "-listbox";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "list-group position-absolute z-3 shadow-sm person-combobox-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", (input.labels && input.labels[0] ? input.labels[0].textContent : "").trim());
    list.hidden = true;
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
    // How many people were found, said to a screen reader (the list itself is not live).
    var status = document.createElement("span");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    list.insertAdjacentElement("afterend", status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);
    var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
    described.push(said.id);
    input.setAttribute("aria-describedby", described.join(" "));

    var names = {};
    if (input.value.trim() && said.textContent.trim()) names[input.value.trim()] = said.textContent.trim();
    var people = [];
    var active = -1;
    var timer = null;
    var asked = 0;

    function sayName() {
      said.textContent = names[input.value.trim()] || "";
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function mark(index) {
      var items = list.children;
      for (var i = 0; i < items.length; i++) {
        var on = i === index;
        items[i].classList.toggle("active", on);
        items[i].setAttribute("aria-selected", on ? "true" : "false");
      }
      active = index;
      if (index >= 0 && items[index]) {
        input.setAttribute("aria-activedescendant", items[index].id);
        items[index].scrollIntoView({ block: "nearest" });
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      var person = people[index];
      if (!person) return;
      input.value = person.value;
      names[person.value] = person.name;
      sayName();
      close();
      input.dispatchEvent(new Event("change", { bubbles: true }));
    }

    function show(answer) {
      people = answer.results || [];
      list.textContent = "";
      people.forEach(function (person, index) {
        var item = document.createElement("li");
        item.id = listId + "-" + index;
        item.className = "list-group-item list-group-item-action";
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        var name = document.createElement("span");
        name.textContent = person.name;
        item.appendChild(name);
        var detail = document.createElement("small");
        detail.className = "ms-2"; // the item's own colour, readable on the active item too
        detail.textContent = person.email ? person.value + " · " + person.email : person.value;
        item.appendChild(detail);
        // mousedown, not click: the input keeps the focus (a click would blur it and close the list first).
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          choose(index);
        });
        list.appendChild(item);
        names[person.value] = person.name;
      });
      if (!people.length) {
        status.textContent = input.getAttribute("data-none") || "";
      } else {
        status.textContent = answer.more ? input.getAttribute("data-more") || "" : "";
      }
      active = -1;
      var open = people.length > 0 && document.activeElement === input;
      list.style.width = input.offsetWidth + "px"; // as wide as the input, under it
      list.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      input.removeAttribute("aria-activedescendant");
      sayName();
    }

    function search() {
      var ticket = ++asked;
      fetch(url + "?q=" + encodeURIComponent(input.value.trim()), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (answer) { if (ticket === asked) show(answer); }) // an older answer arrives late
        .catch(function () { /* the input still takes a user name or e-mail */ });
    }

    input.addEventListener("input", function () {
      sayName();
      clearTimeout(timer);
      timer = setTimeout(search, 200);
    });
    input.addEventListener("keydown", function (event) {
      var open = !list.hidden;
      if (event.key === "ArrowDown") {
        event.preventDefault();
        if (!open) { if (people.length) { list.hidden = false; input.setAttribute("aria-expanded", "true"); mark(0); } else { search(); } return; }
        mark(active + 1 < people.length ? active + 1 : 0);
      } else if (event.key === "ArrowUp") {
        if (!open) return;
        event.preventDefault();
        mark(active > 0 ? active - 1 : people.length - 1);
      } else if (event.key === "Enter") {
        if (open && active >= 0) {
          event.preventDefault(); // choose, not submit the form
          choose(active);
        }
      } else if (event.key === "Escape") {
        if (open) {
          event.preventDefault();
          close();
        }
      }
    });
    input.addEventListener("blur", close);
  }

  function start() {
    document.querySelectorAll("input[data-person-combobox]").forEach(enhance);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
