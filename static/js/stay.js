// Kudos, subscribing, marking for later, bookmarking and commenting keep the reader where they
// are. Each such form names the region of the page it changes (data-stay="kudos"); the form is
// posted as usual, and the region is replaced by its fresh copy from the page the server
// redirects to, with the confirmation beside it. Without JavaScript the same forms post and
// redirect back to the region's anchor. Anything unexpected falls back to the ordinary post.
(() => {
  if (!window.fetch || !window.DOMParser) return;

  // Beside a comment the confirmation takes its place in the thread; under the kudos or the
  // reader actions it floats over what follows (so nothing below moves) and fades after a while.
  // The note is shown at once (one layout change with the swap, not two); a live region that was
  // already in the page announces it, since one inserted with its text may go unannounced.
  const live = document.createElement("p");
  live.className = "visually-hidden";
  live.setAttribute("role", "status");
  document.body.append(live);
  const say = (beside, text, where, floating) => {
    if (!text) return;
    const note = document.createElement("p");
    note.className = `message message-success stay-message${floating ? " stay-floating" : ""}`;
    note.textContent = text;
    beside.insertAdjacentElement(where, note);
    setTimeout(() => { live.textContent = text; }, 50);
    if (floating) setTimeout(() => note.remove(), 8000);
  };

  const commentIds = (root) => new Set(Array.from(root.querySelectorAll("li.comment[id]"), (li) => li.id));

  const showComment = (li, text) => {
    li.classList.add("comment-new");
    li.setAttribute("tabindex", "-1");
    // The server puts the confirmation beside the new comment; an older page's at the top.
    const note = li.querySelector(":scope > .stay-message");
    if (note) setTimeout(() => { live.textContent = note.textContent.trim(); }, 50);
    else say(li.querySelector(".comment-body") || li, text, "beforebegin");
    li.scrollIntoView({ block: "center" });
    li.focus({ preventScroll: true });
  };

  document.addEventListener("submit", (event) => {
    const form = event.target;
    const regionId = form instanceof HTMLFormElement ? form.dataset.stay : "";
    const region = regionId && document.getElementById(regionId);
    if (!region || event.defaultPrevented) return;
    event.preventDefault();
    const submitter = event.submitter;
    if (submitter) submitter.disabled = true;
    const before = commentIds(region);
    fetch(form.action, { method: "POST", body: new FormData(form), credentials: "same-origin" })
      .then((response) => response.text().then((html) => ({ response, html })))
      .then(({ response, html }) => {
        if (!response.redirected) {
          // A form with errors is a page of its own: post it the ordinary way to show it.
          form.submit();
          return;
        }
        const page = new DOMParser().parseFromString(html, "text/html");
        const fresh = page.getElementById(regionId);
        if (!fresh) {
          window.location.assign(response.url);
          return;
        }
        const messages = page.querySelector(".messages");
        const text = messages ? messages.textContent.trim() : "";
        const adopted = document.importNode(fresh, true);
        region.replaceWith(adopted);
        const added = Array.from(adopted.querySelectorAll("li.comment[id]")).find((li) => !before.has(li.id));
        if (added) showComment(added, text);
        else say(adopted, text, "beforeend", true);
      })
      .catch(() => form.submit());
  });
})();
