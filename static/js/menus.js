// Menus that float over the page (<details data-menu>: the account menu, Display, the filter
// sheet on a phone) close on Escape and on a tap or click outside them, as menus do; when focus
// was inside, it goes back to the menu's button. Without JavaScript their button still opens and
// closes them.
(() => {
  const openMenus = () => document.querySelectorAll("details[data-menu][open]");
  const close = (menu, refocus) => {
    menu.open = false;
    if (refocus) menu.querySelector("summary").focus();
  };
  document.addEventListener("pointerdown", (event) => {
    for (const menu of openMenus()) if (!menu.contains(event.target)) close(menu, false);
  });
  document.addEventListener("keydown", (event) => {
    // An autocomplete's list closes first (it takes the Escape).
    if (event.key !== "Escape" || event.defaultPrevented) return;
    for (const menu of openMenus()) close(menu, menu.contains(document.activeElement));
  });
})();
