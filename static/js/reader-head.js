/* A guest's display settings, kept in this browser, applied before the first paint
   (loaded blocking in <head>). Users' settings come from the server, on <html>. */
(() => {
  "use strict";
  const root = document.documentElement;
  // What needs JavaScript (.needs-js) is laid out from the first paint, not added after it.
  root.classList.add("js");
  if (root.hasAttribute("data-reader-saved")) return;
  try {
    const stored = JSON.parse(localStorage.getItem("fanarchive-display") || "{}");
    for (const name of ["theme", "font", "size", "spacing", "width", "creator-style"]) {
      const value = stored[name];
      if (typeof value === "string" && /^[a-z]{1,8}$/.test(value)) root.setAttribute("data-" + name, value);
    }
  } catch (error) {
    // Storage off or unreadable: the defaults and the system theme still apply.
  }
})();
