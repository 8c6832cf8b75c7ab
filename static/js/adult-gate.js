// "Yes, Continue" keeps the place the reader was sent to (a search result's #c1p20): the fragment
// never reaches the server, so the gate's link takes it from the address bar.
(() => {
  const link = document.querySelector("a[data-keep-fragment]");
  if (link && window.location.hash) link.hash = window.location.hash;
})();
