// The filter form's "Show N works" button follows the choices as they are made: it asks the
// listing's own URL for ?count=only, so the number is the one the page will show. Without
// JavaScript the button still applies the filters; it just says the count of the page as loaded.
(() => {
  const form = document.querySelector("form.filter-form[data-count-url]");
  const button = form && form.querySelector(".filters-apply");
  if (!button || !window.fetch || !window.AbortController) return;
  const live = form.querySelector(".filters-live");
  let controller = null;
  let timer = 0;
  const update = () => {
    if (controller) controller.abort();
    controller = new AbortController();
    const params = new URLSearchParams(new FormData(form));
    params.set("count", "only");
    fetch(`${form.dataset.countUrl}?${params}`, {
      signal: controller.signal,
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    })
      .then((response) => (response.ok ? response.json() : Promise.reject(response.status)))
      .then((data) => {
        button.textContent = data.label;
        if (live) live.textContent = data.label;
      })
      .catch(() => {}); // an old label is better than none: applying still works
  };
  const soon = (delay) => {
    clearTimeout(timer);
    timer = setTimeout(update, delay);
  };
  // Tag names are only complete when the field is left ("change"); numbers and dates count as typed.
  form.addEventListener("change", () => soon(100));
  form.addEventListener("input", (event) => {
    if (event.target.matches("input[type=number], input[type=date]")) soon(400);
  });
})();
