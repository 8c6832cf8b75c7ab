"""Issue 16's journeys at phone and desktop widths: the filter sheet, staying in place after kudos
and comments, the account menu, the gate's blurb. Each page on the way passes axe-core without
layout shift; screenshots land in artifacts/screenshots/, and the figures the issue asks for are
printed (run with -s to see them)."""

import re

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from bookmarks.models import Bookmark
from comments.actions import post_comment
from comments.models import Comment
from community.models import Kudo, Reading, Subscription
from e2e.conftest import Archive
from e2e.helpers import DESKTOP, assert_accessible, assert_stable, field, screenshot
from jobs.queue import run_pending
from search.indexer import apply_pending

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
    assert_stable(page, name)
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
def test_a_reader_sorts_oldest_first_and_the_search_sheet_counts_as_filters_change(
    archive: Archive, viewport: ViewportSize
) -> None:
    for title, words in [("Alder", 40), ("Birch", 1500), ("Cedar", 300)]:
        archive.make_work(title=title, content="The marigold lamp burned. " + "word " * words)
    apply_pending()
    page = archive.context(viewport=viewport).new_page()
    page.goto("/works?sort=title")
    if is_phone(page):
        page.locator(".filters-toggle > summary").click()
    order = page.get_by_label("Order", exact=True)
    expect(order).to_have_value("")
    order.select_option("desc")
    page.locator(".filters-apply").click()
    expect(page.locator(".blurb-title a").first).to_have_text("Cedar")
    assert "direction=desc" in page.url
    expect(page.get_by_label("Order", exact=True)).to_have_value("desc")
    settled(page, "works-sorted-descending")

    page.goto("/search/?q=marigold")
    sheet = page.locator(".filters-toggle > summary")
    if is_phone(page):
        sheet.click()
    apply = page.locator(".filters-apply")
    expect(apply).to_have_text("Show 3 works")
    page.get_by_label("From").first.fill("1000")
    expect(apply).to_have_text("Show 1 work")  # live, from the search itself
    # The word range mid-screen, not half under the sticky button bar (axe measures what a finger can reach).
    page.get_by_label("From").first.evaluate("field => field.scrollIntoView({ block: 'center' })")
    settled(page, "search-filter-sheet")
    if is_phone(page):
        page.keyboard.press("Escape")  # the sheet closes like a menu
        expect(apply).to_be_hidden()
        expect(sheet).to_be_focused()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_without_javascript_a_new_comment_is_confirmed_beside_it(archive: Archive, viewport: ViewportSize) -> None:
    text = "\n\n".join(f"Paragraph {n}: the tide came in and went out again." for n in range(60))
    work = archive.make_work(title="The Long Shore", content=text)
    page = archive.context(user=archive.bob, viewport=viewport, javascript=False).new_page()
    page.goto(f"/works/{work.pk}/")
    page.get_by_label(field("Comment")).fill("Read it twice.")
    page.get_by_role("button", name="Comment", exact=True).click()
    comment = Comment.objects.get(work=work)
    assert page.url.endswith(f"#comment-{comment.pk}")
    new = page.locator(f"#comment-{comment.pk}")
    expect(new.locator(".stay-message")).to_have_text("Comment created!")
    expect(new.locator(".stay-message")).to_be_in_viewport()
    expect(page.locator(".messages")).to_have_count(0)
    screenshot(page, "work-after-comment-without-js")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_backwards_word_range_is_explained_and_can_be_swapped(archive: Archive, viewport: ViewportSize) -> None:
    archive.make_work(title="Middling", content="word " * 3000)
    page = archive.context(viewport=viewport).new_page()
    page.goto("/works?words_from=5000&words_to=1000")
    expect(page.get_by_role("alert")).to_contain_text("runs backwards")
    settled(page, "works-backwards-range")
    page.get_by_role("link", name="Swap them").click()
    expect(page.get_by_role("link", name="Middling")).to_be_visible()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_kudos_comments_and_reader_actions_keep_the_reader_where_they_are(
    archive: Archive, viewport: ViewportSize
) -> None:
    text = "\n\n".join(f"Paragraph {n}: the tide came in and went out again, as it always does." for n in range(80))
    work = archive.make_work(title="The Long Shore", content=text)
    archive.make_work(title="Another", author=archive.bob)  # Bob has a pseud and a profile
    page = archive.context(user=archive.bob, viewport=viewport).new_page()
    page.goto(f"/works/{work.pk}/")

    kudos = page.get_by_role("button", name="Kudos")
    kudos.scroll_into_view_if_needed()
    before = page.evaluate("scrollY")
    kudos.click()
    expect(page.locator("#kudos .stay-message")).to_have_text("Thank you for leaving kudos!")
    expect(page.locator("#kudos")).to_contain_text("You have left kudos on this work.")
    after = page.evaluate("scrollY")
    print(f"\n[figure] {viewport['width']}px: kudos clicked at scrollY={before:.0f}, after: scrollY={after:.0f}")
    assert before > 1000 and abs(after - before) < 2, "kudos should leave the reader where they were"
    assert Kudo.objects.filter(work=work, user=archive.bob).exists()
    settled(page, "work-after-kudos")

    page.get_by_label(field("Comment")).fill("The lighthouse scene stayed with me all day.")
    page.get_by_role("button", name="Comment", exact=True).click()
    new = page.locator("li.comment-new")
    expect(new).to_contain_text("The lighthouse scene stayed with me all day.")
    expect(new.locator(".stay-message")).to_have_text("Comment created!")
    expect(new).to_be_in_viewport()
    comment = Comment.objects.get(work=work)
    assert new.get_attribute("id") == f"comment-{comment.pk}"
    box = new.bounding_box()
    assert box is not None
    print(
        f"[figure] {viewport['width']}px: after commenting, scrollY={page.evaluate('scrollY'):.0f}, "
        f"new comment's top at y={box['y']:.0f} of {page.viewport_size['height'] if page.viewport_size else 0}"
    )
    settled(page, "work-after-comment")

    page.evaluate("window.scrollTo(0, 0)")
    actions = page.get_by_role("navigation", name="Reader actions")
    actions.get_by_role("button", name="Subscribe").click()
    expect(actions.get_by_role("button", name="Unsubscribe")).to_be_visible()
    actions.get_by_role("button", name="Mark for Later").click()
    expect(actions.get_by_role("button", name="Mark as Read")).to_be_visible()
    actions.get_by_role("button", name="Bookmark", exact=True).click()
    expect(actions.get_by_role("link", name="Edit Bookmark")).to_be_visible()
    expect(actions.locator(".stay-message")).to_have_text("Bookmark was successfully created.")
    assert Subscription.objects.filter(user=archive.bob).count() == 1
    assert Reading.objects.filter(user=archive.bob, work=work, marked_for_later=True).exists()
    assert Bookmark.objects.filter(user=archive.bob, work=work).exists()
    settled(page, "work-reader-actions")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_account_menu_holds_the_readers_places_and_the_unread_count(
    archive: Archive, viewport: ViewportSize
) -> None:
    work = archive.make_work(title="Tidings")
    # The inbox item comes from a real comment, through the action that notifies the creator.
    post_comment(work, work.chapters.get(), None, archive.bob, None, "", "", "Lovely.", "ip-hash")
    page = archive.context(user=archive.alice, viewport=viewport).new_page()
    page.goto("/")
    menu = page.locator(".account-menu")
    expect(menu.locator("summary")).to_contain_text("alice")
    expect(menu.locator("summary")).to_contain_text("1 unread message")
    # Nothing in the header scrolls sideways or hides off-screen.
    summary = menu.locator("summary").bounding_box()
    assert summary is not None and summary["x"] + summary["width"] <= viewport["width"]
    menu.locator("summary").click()
    for name in ["Inbox (1)", "Drafts", "Bookmarks", "History", "Marked for Later", "Subscriptions", "Preferences"]:
        expect(menu.get_by_role("link", name=name, exact=True)).to_be_in_viewport()
    expect(menu.get_by_role("button", name="Log out")).to_be_in_viewport()
    settled(page, "account-menu-open")
    # Closes as menus do: on Escape (focus back on its button) and on a tap outside it.
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="Drafts")).to_be_hidden()
    expect(menu.locator("summary")).to_be_focused()
    menu.locator("summary").click()
    expect(menu.get_by_role("link", name="Drafts")).to_be_visible()
    page.mouse.click(2, viewport["height"] - 4)  # the page's margin, below the open list
    expect(menu.get_by_role("link", name="Drafts")).to_be_hidden()
    menu.locator("summary").click()
    menu.get_by_role("link", name="Marked for Later").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Marked for Later")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_adult_gate_shows_the_blurb_and_keeps_the_paragraph_a_search_linked_to(
    archive: Archive, viewport: ViewportSize
) -> None:
    text = "\n\n".join(f"Paragraph {n} of the night." for n in range(1, 41))
    work = archive.make_work(
        title="Night Harbour", rating="Mature", freeforms="Shipwreck", summary="What the sea took.", content=text
    )
    page = archive.context(viewport=viewport).new_page()
    page.goto(f"/works/{work.pk}/#c1p20")
    gate = page.locator(".adult-gate")
    expect(gate.get_by_role("heading", name="Adult content")).to_be_visible()
    expect(gate.locator(".blurb")).to_contain_text("No Archive Warnings Apply")
    expect(gate.locator(".blurb")).to_contain_text("Shipwreck")
    expect(gate.locator(".blurb")).to_contain_text("What the sea took.")
    settled(page, "adult-gate-blurb")
    page.get_by_role("link", name="Yes, Continue").click()
    expect(page.locator("#c1p20")).to_be_in_viewport()
    assert page.evaluate("location.hash") == "#c1p20"


@pytest.mark.parametrize("viewport", WIDTHS)
def test_the_pdf_waiting_page_shows_progress_and_switches_when_the_file_arrives(
    archive: Archive, viewport: ViewportSize
) -> None:
    work = archive.make_work(title="Paper Lanterns")
    page = archive.context(viewport=viewport).new_page()
    page.goto(f"/works/{work.pk}/download/pdf")
    expect(page.get_by_role("heading", name="Your PDF is being prepared")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Next in line for the printer.")
    settled(page, "pdf-waiting")
    with page.expect_download(timeout=20_000) as info:
        assert run_pending() == 1  # the background worker prints the PDF
    assert info.value.suggested_filename.endswith(".pdf")
    expect(page.get_by_role("heading", name="Your PDF is ready")).to_be_visible()
    expect(page.get_by_role("status")).to_have_text("Your PDF is ready: the download has started.")
    settled(page, "pdf-ready")


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_writer_saves_half_a_draft_in_markdown_then_posts_it_once_complete(
    archive: Archive, viewport: ViewportSize
) -> None:
    archive.make_work(fandoms="Tidewater (TV)")
    page = archive.context(user=archive.bob, viewport=viewport).new_page()
    page.goto("/works/new")
    post = page.get_by_role("button", name="Post", exact=True)
    # One primary action: Post is filled with the accent colour, the others are outlined.
    colours = [
        page.get_by_role("button", name=name, exact=True).evaluate("e => getComputedStyle(e).backgroundColor")
        for name in ["Preview", "Save As Draft", "Post"]
    ]
    assert colours[0] == colours[1] != colours[2]
    expect(page.locator("label.required", has_text="Rating")).to_be_visible()
    page.get_by_text("Formatting help").click()
    expect(page.locator(".formatting-help-body")).to_contain_text("for italics")
    settled(page, "post-work-form")
    page.get_by_label("Markdown").check()
    page.get_by_label(field("Work Text")).fill("She said *nothing* at all.\n\nThe tide went out.")
    page.get_by_role("button", name="Save As Draft").click()
    expect(page.get_by_role("heading", name="Untitled draft")).to_be_visible()
    expect(page.locator(".chapter-text em")).to_have_text("nothing")
    page.goto("/account/drafts")
    expect(page.locator(".blurb .stats")).to_contain_text(re.compile(r"Words:\s*9\b"))
    expect(page.locator(".blurb .stats")).to_contain_text(re.compile(r"Chapters:\s*1/\?"))
    settled(page, "drafts")
    page.get_by_role("link", name="Untitled draft").click()
    page.get_by_role("link", name="Preview and post it").click()
    page.get_by_role("button", name="Post", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("To post this work, fill in: Rating, Archive Warnings, Fandoms")
    page.get_by_label(field("Rating")).select_option("General Audiences")
    page.get_by_label("No Archive Warnings Apply").check()
    page.get_by_role("combobox", name=field("Fandoms")).fill("Tidewater (TV)")
    page.get_by_label(field("Title")).fill("Low Tide")
    post.click()
    expect(page.get_by_role("heading", name="Low Tide")).to_be_visible()
    expect(page.get_by_text("Work was successfully posted.")).to_be_visible()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_blurbs_are_compact_with_a_symbol_per_warning_state_and_a_key(archive: Archive, viewport: ViewportSize) -> None:
    many = "Found Family, Slow Burn, Hurt/Comfort, Angst with a Happy Ending, Lighthouses, Fluff, Storms"
    archive.make_work(title="Tagged Heavily", freeforms=many, categories=["F/M", "Gen"])
    archive.make_work(title="Chose Not", warnings=["Creator Chose Not To Use Archive Warnings"], freeforms=many)
    archive.make_work(
        title="Warned", warnings=["Major Character Death"], freeforms=many, content="The marigold lamp burned."
    )
    for n in range(5):
        archive.make_work(title=f"Filler {n}", freeforms=many)
    apply_pending()
    page = archive.context(viewport=viewport).new_page()
    page.goto("/works?sort=title")
    # Before any tap: a tap's expansion is the reader's own doing, not a shift.
    settled(page, "works-compact-blurbs")
    blurb = page.locator(".blurb", has_text="Tagged Heavily")
    more = blurb.locator(".blurb-more-tags")
    if is_phone(page):
        expect(more.locator("summary")).to_have_text(re.compile(r"^\+\d+ tags$"))
        expect(blurb.get_by_role("link", name="Storms")).to_be_hidden()
        more.locator("summary").click()
    expect(blurb.get_by_role("link", name="Storms")).to_be_visible()
    # A glyph per warning state, not only a colour.
    glyphs = {
        title: page.locator(".blurb", has_text=title).locator(".symbol.warnings span[aria-hidden]").inner_text()
        for title in ["Tagged Heavily", "Chose Not", "Warned"]
    }
    assert glyphs == {"Tagged Heavily": "–", "Chose Not": "?", "Warned": "!"}
    multi = blurb.locator(".symbol.category")
    assert multi.evaluate("e => e.scrollWidth <= e.clientWidth"), "'Multi' overflows its square"
    page.get_by_text("Symbols key").click()
    expect(page.locator(".symbol-key")).to_contain_text("Creator Chose Not To Use Archive Warnings")
    heights = page.eval_on_selector_all(
        ".blurb", "els => els.map(e => e.getBoundingClientRect().height + parseFloat(getComputedStyle(e).marginBottom))"
    )
    per_screen = (viewport["height"] / (sum(heights[2:]) / len(heights[2:]))) if len(heights) > 2 else 0
    print(f"\n[figure] {viewport['width']}x{viewport['height']}: blurbs per screen {per_screen:.2f}")
    assert_accessible(page)
    screenshot(page, "works-compact-blurbs-opened")

    page.goto("/search/?q=marigold")
    result = page.locator(".blurb", has_text="Warned")
    snippet_top = result.locator(".search-snippets").bounding_box()
    tags_top = result.locator(".blurb-tags").first.bounding_box()
    assert snippet_top and tags_top and snippet_top["y"] < tags_top["y"], "the matched passage comes before the tags"
    settled(page, "search-snippet-under-title")
