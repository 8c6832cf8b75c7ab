/* Tag autocomplete for comma-separated tag fields (input.tag-input[data-tag-type]),
   which stay plain text inputs without it. ARIA combobox: focus stays in the input. */
(() => {
  "use strict";
  const endpoint = document.currentScript?.dataset.url || "/autocomplete/tags";
  const SEPARATORS = /[,，、]/; // as tags/parsing.py

  const set = (el, attrs) => {
    for (const name in attrs) el.setAttribute(name, attrs[name]);
    return el;
  };
  const make = (tag, attrs) => set(document.createElement(tag), attrs);

  function enhance(input) {
    const type = input.dataset.tagType;
    const id = (input.id || input.name) + "-suggestions";
    const wrapper = make("div", { class: "autocomplete" });
    const list = make("ul", { id, class: "autocomplete-list", role: "listbox", "aria-label": "Suggestions" });
    const status = make("div", { class: "visually-hidden", role: "status", "aria-live": "polite" });
    list.hidden = true;
    const hadFocus = document.activeElement === input;
    input.before(wrapper);
    wrapper.append(input, list, status);
    if (hadFocus) input.focus();
    set(input, { role: "combobox", "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": id });

    let results = [];
    let active = -1;
    let timer = 0;
    let controller = null;

    function render(items) {
      results = items;
      active = -1;
      list.hidden = !items.length;
      list.replaceChildren(...items.map(renderOption));
      input.setAttribute("aria-expanded", String(items.length > 0));
      input.removeAttribute("aria-activedescendant");
    }

    function renderOption(item, index) {
      const li = make("li", { id: `${id}-${index}`, class: "autocomplete-option", role: "option" });
      li.textContent = item.name;
      const note = item.canonical_name
        ? "synonym of " + item.canonical_name
        : type === "any" && item.type.replace("freeform", "additional tag");
      if (note) {
        li.append(make("span", { class: "autocomplete-note" }));
        li.lastChild.textContent = ` (${note})`;
      }
      return li;
    }

    function close() {
      cancel();
      render([]);
    }

    function cancel() {
      clearTimeout(timer);
      if (controller) controller.abort();
      controller = null;
    }

    function setActive(index) {
      if (active >= 0) list.children[active].setAttribute("aria-selected", "false");
      active = index;
      const option = set(list.children[index], { "aria-selected": true });
      input.setAttribute("aria-activedescendant", option.id);
      option.scrollIntoView({ block: "nearest" });
    }

    function show(items) {
      // Skip tags already in the field, and a second tag inserting the same name.
      const seen = new Set(input.value.split(SEPARATORS).slice(0, -1).map((n) => n.trim().toLowerCase()));
      render(
        items.filter((item) => {
          const key = (item.canonical_name || item.name).toLowerCase();
          return !seen.has(key) && seen.add(key);
        }),
      );
      const count = results.length;
      status.textContent = count ? `${count} suggestion${count > 1 ? "s" : ""}, arrows to choose.` : "No suggestions.";
    }

    function request() {
      cancel();
      const value = input.value;
      // Only the last tag, and only while typing at its end.
      const atEnd = input.selectionStart === value.length;
      const term = atEnd ? value.split(SEPARATORS).pop().replace(/\s+/g, " ").trim() : "";
      if (!term || term.length > 150) return close();
      const params = new URLSearchParams({ term, type });
      const fandoms = /^(character|relationship)$/.test(type) && input.form?.querySelector("[data-tag-type=fandom]");
      if (fandoms && fandoms.value.trim()) params.set("fandoms", fandoms.value);
      const own = (controller = new AbortController());
      fetch(endpoint + "?" + params, { headers: { Accept: "application/json" }, signal: own.signal })
        .then((answer) => (answer.ok ? answer.json() : null))
        .then((data) => {
          if (controller !== own) return;
          controller = null;
          data && document.activeElement === input ? show(data.results || []) : close();
        })
        .catch(() => {}); // aborted or offline: typing still works
    }

    function accept(index) {
      const name = results[index].canonical_name || results[index].name;
      const head = input.value.replace(/[^,，、]*$/, "").trimEnd();
      input.value = (head ? head + " " : "") + name + ", ";
      input.setSelectionRange(input.value.length, input.value.length);
      close();
      status.textContent = name + " added.";
    }

    input.addEventListener("input", () => {
      cancel(); // typing makes a pending answer stale
      timer = setTimeout(request, 150);
    });
    input.addEventListener("blur", close);
    input.addEventListener("keydown", (event) => {
      if (event.isComposing) return;
      const key = event.key;
      const open = !list.hidden;
      if (key === "ArrowDown" && !open) {
        event.preventDefault();
        request();
      } else if ((key === "ArrowDown" || key === "ArrowUp") && open) {
        event.preventDefault();
        const count = results.length;
        setActive(key === "ArrowDown" ? (active + 1) % count : active > 0 ? active - 1 : count - 1);
      } else if ((key === "Enter" || key === "Tab") && open && active >= 0 && !event.shiftKey) {
        event.preventDefault();
        accept(active);
      } else if (key === "Escape") {
        if (open) event.preventDefault();
        close();
      }
    });
    // Keep focus in the input while an option is clicked.
    list.addEventListener("mousedown", (event) => event.preventDefault());
    list.addEventListener("click", (event) => {
      const option = event.target.closest("[role=option]");
      if (option) accept([...list.children].indexOf(option));
    });
  }

  document.querySelectorAll("input.tag-input[data-tag-type]").forEach(enhance);
})();
