/* The header's Display panel: applies a change at once and keeps it, in the account
   (posted in the background) or, for guests, in this browser (localStorage). Without
   JavaScript users post the form; guests keep the defaults and the system theme.
   Messages are the note's data attributes, translated by the template. */
(() => {
  "use strict";
  const panel = document.querySelector(".display-settings");
  const form = panel && panel.querySelector("form");
  if (!form) return;
  const root = document.documentElement;
  const KEY = "fanarchive-display";
  const ATTRIBUTES = {
    theme: "theme", reader_font: "font", reader_size: "size",
    reader_spacing: "spacing", reader_width: "width", hide_creator_style: "creator-style",
  };
  const inAccount = form.dataset.saved === "account";
  const note = form.querySelector(".display-note");
  note.setAttribute("role", "status");
  form.querySelector(".display-save").hidden = true;

  const valueOf = (field) => (field.type === "checkbox" ? (field.checked ? "hide" : "show") : field.value);

  if (!inAccount) {
    // The server rendered the defaults; show what this browser keeps instead.
    for (const [name, attribute] of Object.entries(ATTRIBUTES)) {
      const field = form.elements[name];
      const value = root.getAttribute("data-" + attribute);
      if (!field || !value) continue;
      if (field.type === "checkbox") field.checked = value === "hide";
      else field.value = value;
    }
  }

  form.addEventListener("change", (event) => {
    const field = event.target;
    const attribute = ATTRIBUTES[field.name];
    if (!attribute) return;
    root.setAttribute("data-" + attribute, valueOf(field));
    if (inAccount) {
      note.textContent = note.dataset.saving;
      fetch(form.action, { method: "POST", body: new FormData(form), headers: { "X-Requested-With": "fetch" } })
        .then((response) => { note.textContent = response.ok ? note.dataset.done : note.dataset.failed; })
        .catch(() => { note.textContent = note.dataset.offline; });
    } else {
      const stored = {};
      for (const [name, key] of Object.entries(ATTRIBUTES)) if (form.elements[name]) stored[key] = valueOf(form.elements[name]);
      try {
        localStorage.setItem(KEY, JSON.stringify(stored));
        note.textContent = note.dataset.done;
      } catch (error) {
        note.textContent = note.dataset.noStorage;
      }
    }
  });
  form.addEventListener("submit", (event) => event.preventDefault());
})();
