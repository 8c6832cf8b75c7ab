"""Issue 16's journeys at phone and desktop widths: the filter sheet, staying in place after kudos
and comments, the account menu, the gate's blurb. Each page on the way passes axe-core without
layout shift; screenshots land in artifacts/screenshots/, and the figures the issue asks for are
printed (run with -s to see them)."""

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from e2e.conftest import Archive
from e2e.helpers import DESKTOP, assert_accessible, layout_shift, screenshot

PHONE_390: ViewportSize = {"width": 390, "height": 844}
WIDTHS = [pytest.param(PHONE_390, id="phone"), pytest.param(DESKTOP, id="desktop")]


def is_phone(page: Page) -> bool:
    return (page.viewport_size or DESKTOP)["width"] < 600


def settled(page: Page, name: str) -> None:
    """axe-core clean, no layout shift, nothing wider than the screen; a screenshot for a person to look at."""
    page.wait_for_load_state("load")
    assert_accessible(page)
    width = (page.viewport_size or DESKTOP)["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} scrolls sideways"
    cls = layout_shift(page)
    assert cls < 0.01, f"{name} shifted its layout (CLS {cls:.3f})"
    screenshot(page, name)


def first_result_top(page: Page) -> float:
    top: float = page.evaluate("document.querySelector('.blurb').getBoundingClientRect().top + window.scrollY")
    return top


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_reader_filters_works_in_a_sheet_and_removes_a_filter_by_its_chip(
    archive: Archive, viewport: ViewportSize
) -> None:
    archive.make_work(title="With Mara", characters="Mara Quill", content="word " * 1200)
    archive.make_work(title="With Jonah", characters="Jonah Reyes", relationships="")
    archive.make_work(title="Also Mara", characters="Mara Quill", relationships="", content="word " * 300)
    page = archive.context(viewport=viewport).new_page()
    page.goto("/works")
    apply = page.locator(".filters-apply")
    if is_phone(page):
        # Closed: one button's worth of space above the results.
        expect(apply).to_be_hidden()
        page.locator(".filters-toggle > summary").click()
        sheet = page.locator(".filters-toggle").bounding_box()
        assert sheet is not None and sheet["y"] <= 0 and sheet["height"] >= PHONE_390["height"] - 1
    else:
        expect(apply).to_be_visible()
    expect(apply).to_have_text("Show 3 works")
    page.locator("fieldset.facet", has_text="Characters").first.get_by_label(re.compile(r"^Mara Quill")).check()
    expect(apply).to_have_text("Show 2 works")  # the live count, before applying
    page.get_by_label("From").first.fill("1000")
    expect(apply).to_have_text("Show 1 work")
    # The button stays in reach at the bottom of the screen while the filters scroll.
    expect(apply).to_be_in_viewport()
    settled(page, "filter-sheet-open")
    apply.click()
    expect(page.locator(".listing-count")).to_contain_text("1 – 1 of 1 Work")
    expect(apply).to_be_visible() if not is_phone(page) else expect(apply).to_be_hidden()
    chips = page.get_by_role("navigation", name="Filters in use")
    expect(chips.get_by_role("link", name="Remove filter: Mara Quill")).to_be_visible()
    expect(chips.get_by_role("link", name="Remove filter: At least 1,000 words")).to_be_visible()
    top = first_result_top(page)
    print(f"\n[figure] {viewport['width']}px: filtered /works, first result starts at y={top:.0f}px")
    if is_phone(page):
        assert top < 500, "the first result should start on the first screen, above its middle"
    settled(page, "works-filtered-chips")
    chips.get_by_role("link", name="Remove filter: At least 1,000 words").click()
    expect(page.locator(".listing-count")).to_contain_text("1 – 2 of 2 Works")
    expect(page.get_by_role("link", name="Remove filter: Mara Quill")).to_be_visible()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_backwards_word_range_is_explained_and_can_be_swapped(archive: Archive, viewport: ViewportSize) -> None:
    archive.make_work(title="Middling", content="word " * 3000)
    page = archive.context(viewport=viewport).new_page()
    page.goto("/works?words_from=5000&words_to=1000")
    expect(page.get_by_role("alert")).to_contain_text("runs backwards")
    settled(page, "works-backwards-range")
    page.get_by_role("link", name="Swap them").click()
    expect(page.get_by_role("link", name="Middling")).to_be_visible()
