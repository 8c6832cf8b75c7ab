"""Driving Debian's Chromium for the browser tests and bench/browser.py: launch, axe, screenshots, layout shift."""

import json
import os
import re
import weakref
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright, ViewportSize

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
AXE_JS = Path(__file__).resolve().parent / "vendor" / "axe.min.js"

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
PHONE: ViewportSize = {"width": 360, "height": 740}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}

# Counts layout shifts from the first paint on (buffered), as Chromium's CLS does,
# ignoring shifts caused by the reader's own input. The observer is kept so layout_shift()
# can take the entries not yet delivered to it (delivery is asynchronous).
LAYOUT_SHIFT_SCRIPT = """
window.__cls = 0;
window.__shifts = [];
const describe = (node) => !node ? "?" : node.nodeType !== 1 ? node.nodeName :
  node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") +
  (node.className && typeof node.className === "string" ? "." + node.className.trim().split(/\\s+/).join(".") : "");
const count = (entries) => {
  for (const entry of entries) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    window.__shifts.push(entry.value.toFixed(3) + " at " + Math.round(entry.startTime) + " ms: " +
      (entry.sources || []).map((s) =>
        describe(s.node) + " " + JSON.stringify([s.previousRect.y, s.currentRect.y])).join(", "));
  }
};
window.__clsObserver = new PerformanceObserver((list) => count(list.getEntries()));
window.__clsObserver.observe({ type: "layout-shift", buffered: true });
window.__clsFlush = () => count(window.__clsObserver.takeRecords());
"""


# A busy machine's page load, made deterministic. Chromium paints whatever it has parsed when a
# frame is due, so on a slow CPU a page is shown in pieces; the real CLS then depends on where
# the parser happened to be. This writes the server's HTML into a page piece by piece (cut
# before a tag, as the parser yields between tokens) and lays it out after every piece, then
# once more after the deferred scripts, load and web fonts: every state a reader could see.
# An element already laid out that moves counts as Chromium's layout-shift score does (the
# area the moved elements cover before and after, times the largest move, over the viewport;
# moves under 3 px ignored), summed over every step: the worst case, not a lucky one.
PARSE_SHIFT_SCRIPT = """
async ([html, piece]) => {
  const vw = innerWidth, vh = innerHeight, CELL = 4;
  const cols = Math.ceil(vw / CELL), rows = Math.ceil(vh / CELL);
  const classes = (node) => typeof node.className === "string" ? node.className.trim().split(/\\s+/) : [];
  const describe = (node) => node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") +
    classes(node).map((name) => name && "." + name).join("");
  const box = (r) => [r.x, r.y, r.width, r.height].map(Math.round);
  const measure = () => {
    const now = new Map();
    if (!document.body) return now;
    for (const element of document.body.getElementsByTagName("*")) {
      // Not what is never painted: inside a closed <details>, display: none.
      if (!element.checkVisibility()) continue;
      const r = element.getBoundingClientRect();
      if (r.width > 0 && r.height > 0) now.set(element, r);
    }
    return now;
  };
  const cover = (grid, r) => {
    const x0 = Math.max(0, Math.floor(r.left / CELL)), x1 = Math.min(cols, Math.ceil(r.right / CELL));
    const y0 = Math.max(0, Math.floor(r.top / CELL)), y1 = Math.min(rows, Math.ceil(r.bottom / CELL));
    for (let y = y0; y < y1; y++) grid.fill(1, y * cols + x0, Math.max(y * cols + x0, y * cols + x1));
  };
  let total = 0;
  const shifts = [];
  const compare = (before, after, when) => {
    const grid = new Uint8Array(cols * rows);
    let distance = 0;
    const moved = new Map();
    for (const [element, now] of after) {
      const then = before.get(element);
      if (!then) continue;
      const dx = now.x - then.x, dy = now.y - then.y;
      if (Math.abs(dx) < 3 && Math.abs(dy) < 3) continue;
      const inView = (r) => r.bottom > 0 && r.top < vh && r.right > 0 && r.left < vw;
      if (!inView(then) && !inView(now)) continue;
      cover(grid, then);
      cover(grid, now);
      distance = Math.max(distance, Math.abs(dx), Math.abs(dy));
      moved.set(element, [dx, dy, then, now]);
    }
    if (!moved.size) return;
    const covered = grid.reduce((sum, cell) => sum + cell, 0);
    const value = (covered / (cols * rows)) * Math.min(1, distance / Math.max(vw, vh));
    total += value;
    // Name the outermost elements that moved; their contents moved with them.
    const roots = [...moved].filter(([element, [dx, dy]]) => {
      const parent = moved.get(element.parentElement);
      return !parent || Math.abs(parent[0] - dx) >= 1 || Math.abs(parent[1] - dy) >= 1;
    });
    shifts.push(value.toFixed(4) + " " + when + ": " + roots.slice(0, 4).map(([element, [, , then, now]]) =>
      describe(element) + " " + JSON.stringify(box(then)) + " -> " + JSON.stringify(box(now))).join(", "));
  };
  document.open();
  const bodyAt = Math.max(0, html.search(/<body[\\s>]/i));
  // The head, then a marker: once it is in the document, the head's blocking scripts have run.
  document.write(html.slice(0, bodyAt).replace(/<\\/head>\\s*$/i, "") + '<meta name="parse-shift-mark">');
  while (!document.querySelector("meta[name=parse-shift-mark]")) await new Promise((r) => setTimeout(r, 10));
  await Promise.all([...document.querySelectorAll("link[rel=stylesheet]")].map((link) =>
    link.sheet ? null : new Promise((r) => { link.addEventListener("load", r); link.addEventListener("error", r); })));
  let before = measure();
  let at = bodyAt;
  while (at < html.length) {
    let next = html.indexOf("<", at + piece);
    if (next < 0) next = html.length;
    document.write(html.slice(at, next));
    at = next;
    const after = measure();
    compare(before, after, "parsed " + Math.round((100 * at) / html.length) + "%");
    before = after;
  }
  document.close();
  await new Promise((r) => (document.readyState === "complete" ? r() : addEventListener("load", r, { once: true })));
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  compare(before, measure(), "after load");
  return { cls: total, shifts };
}
"""


def parse_shift(page: Page) -> tuple[float, list[str]]:
    """The layout shift of the page at page.url if it is shown piece by piece while parsed
    (PARSE_SHIFT_SCRIPT), in a new tab of the same browser context (same size, same reader)."""
    html = page.request.get(page.url).text()
    probe = page.context.new_page()
    try:
        # An empty document at the same address, so the page's scripts and styles load as its own.
        probe.route(
            "**/*",
            lambda route: (
                route.fulfill(body="<!doctype html>", content_type="text/html")
                if route.request.resource_type == "document"
                else route.fallback()
            ),
        )
        probe.goto(page.url)
        probe.unroute("**/*")
        result: dict[str, Any] = probe.evaluate(PARSE_SHIFT_SCRIPT, [html, 256])
    finally:
        probe.close()
    return float(result["cls"]), list(result["shifts"])


_parse_checked: "weakref.WeakKeyDictionary[Page, set[str]]" = weakref.WeakKeyDictionary()


def assert_stable(page: Page, name: str) -> None:
    """No layout shift: none measured since the page loaded, and none when its HTML is shown
    piece by piece as a busy machine shows it (checked once per address and tab)."""
    cls = layout_shift(page)
    assert cls < 0.01, f"{name} shifted its layout (CLS {cls:.3f}): {layout_shifts(page)}"
    checked = _parse_checked.setdefault(page, set())
    if page.url in checked:
        return
    checked.add(page.url)
    cls, shifts = parse_shift(page)
    assert cls < 0.01, f"{name} shifts while it loads on a busy machine (CLS {cls:.3f}): {shifts}"


def field(label: str) -> re.Pattern[str]:
    """A form field's accessible name: its label, with or without Django's colon."""
    return re.compile(rf"^\s*{re.escape(label)}:?\s*$")


def launch(playwright: Playwright) -> Browser:
    # Playwright passes --no-sandbox itself (we run as root in CI); never a downloaded browser.
    return playwright.chromium.launch(executable_path=CHROMIUM)


def run_axe(page: Page) -> list[dict[str, Any]]:
    """axe-core's violations on the page as it is now (WCAG 2.0-2.2 A and AA rules, and best practices)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        # CSP forbids inline and foreign scripts, but evaluate() runs as the page's debugger.
        page.evaluate(AXE_JS.read_text())
    result = page.evaluate("(tags) => axe.run(document, { runOnly: { type: 'tag', values: tags } })", AXE_TAGS)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe_violations(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {json.dumps(node['target'])}: {node['failureSummary'].splitlines()[-1].strip()}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    violations = run_axe(page)
    assert not violations, f"axe-core found violations on {page.url}:\n{describe_violations(violations)}"


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    width = page.viewport_size["width"] if page.viewport_size else 0
    path = SCREENSHOTS / f"{name}-{width}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


# Web fonts loaded and two frames rendered, then the entries still queued for the observer.
_SETTLE_AND_FLUSH = """async () => {
  await document.fonts.ready;
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  window.__clsFlush();
  return window.__cls;
}"""


def layout_shift(page: Page) -> float:
    """The page's CLS so far: every shift up to now, however late the observer would have heard of it."""
    value: float = page.evaluate(_SETTLE_AND_FLUSH)
    return value


def layout_shifts(page: Page) -> list[str]:
    """Each shift: its score, when, and which elements moved (their top before and after)."""
    shifts: list[str] = page.evaluate("window.__shifts")
    return shifts
