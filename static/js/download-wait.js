// "Your PDF is being prepared": ask every few seconds where the file is (?progress=json: waiting
// with N jobs ahead, printing, ready or failed), say so on the page, and when it is ready switch
// the page to "ready" and start the download. Without JavaScript the page offers a link instead;
// an automatic meta refresh would fail WCAG 2.2.1.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var url = script.getAttribute("data-url");
  var seconds = Number(script.getAttribute("data-seconds")) || 3;
  function show(data) {
    var state = document.getElementById("pdf-progress-state");
    if (state && data.label) state.textContent = data.label;
    if (data.state !== "ready") return;
    var bar = document.getElementById("pdf-progress-bar");
    if (bar) { bar.max = 1; bar.value = 1; }
    var heading = document.getElementById("preparing-heading");
    if (heading && heading.getAttribute("data-ready")) heading.textContent = heading.getAttribute("data-ready");
  }
  function check() {
    fetch(url + "?progress=json", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) {
        return response.json().then(function (data) { return { status: response.status, data: data }; });
      })
      .then(function (answer) {
        show(answer.data);
        if (answer.data.state === "ready") {
          window.location.href = url;
        } else if (answer.data.state === "failed") {
          window.location.reload(); // the page then explains, and offers the other formats
        } else {
          window.setTimeout(check, seconds * 1000);
        }
      })
      .catch(function () {
        window.setTimeout(check, seconds * 4000);
      });
  }
  window.setTimeout(check, seconds * 1000);
})();
