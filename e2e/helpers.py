"""Driving Debian's Chromium for the browser tests and bench/browser.py: launch, axe, screenshots, layout shift."""

import json
import os
import re
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
# ignoring shifts caused by the reader's own input.
LAYOUT_SHIFT_SCRIPT = """
window.__cls = 0;
window.__shifts = [];
const describe = (node) => !node ? "?" : node.nodeType !== 1 ? node.nodeName :
  node.tagName.toLowerCase() + (node.id ? "#" + node.id : "") +
  (node.className && typeof node.className === "string" ? "." + node.className.trim().split(/\\s+/).join(".") : "");
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__cls += entry.value;
    window.__shifts.push(entry.value.toFixed(3) + " at " + Math.round(entry.startTime) + " ms: " +
      (entry.sources || []).map((s) =>
        describe(s.node) + " " + JSON.stringify([s.previousRect.y, s.currentRect.y])).join(", "));
  }
}).observe({ type: "layout-shift", buffered: true });
"""


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


def layout_shift(page: Page) -> float:
    value: float = page.evaluate("window.__cls")
    return value


def layout_shifts(page: Page) -> list[str]:
    """Each shift: its score, when, and which elements moved (their top before and after)."""
    shifts: list[str] = page.evaluate("window.__shifts")
    return shifts
