// "Your PDF is being prepared": ask every few seconds whether the file is ready (the view
// answers 202 until then) and start the download when it is. Without JavaScript the page
// offers a link instead; an automatic meta refresh would fail WCAG 2.2.1.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.fetch) return;
  var url = script.getAttribute("data-url");
  var seconds = Number(script.getAttribute("data-seconds")) || 3;
  function check() {
    fetch(url, { method: "HEAD", credentials: "same-origin" }).then(function (response) {
      if (response.status === 200) {
        window.location.href = url;
      } else if (response.status === 202) {
        window.setTimeout(check, seconds * 1000);
      }
    }).catch(function () {
      window.setTimeout(check, seconds * 4000);
    });
  }
  window.setTimeout(check, seconds * 1000);
})();
