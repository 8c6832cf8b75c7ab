"""The Display panel: guests' settings stay in the browser, users' in their account, applied before the first paint."""

from playwright.sync_api import Page, expect

from accounts.models import User
from e2e.conftest import Archive
from e2e.helpers import PHONE, assert_accessible, field, screenshot


def prose_style(page: Page, prop: str) -> str:
    return str(page.evaluate(f"getComputedStyle(document.querySelector('.chapter-text')).{prop}"))


def test_a_guest_changes_theme_and_text_size_and_they_survive_a_reload(archive: Archive) -> None:
    work = archive.make_work(title="Small Hours")
    page = archive.context(viewport=PHONE).new_page()
    page.goto(f"/works/{work.pk}/")
    default_size = prose_style(page, "fontSize")
    page.get_by_text("Display").click()
    assert_accessible(page)  # with the panel open
    page.get_by_label(field("Theme")).select_option("dark")
    page.get_by_label(field("Text size")).select_option("xl")
    page.get_by_label(field("Font")).select_option("sans")
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    screenshot(page, "display-panel-dark")
    assert prose_style(page, "fontSize") != default_size
    page.reload()
    expect(page.locator("html")).to_have_attribute("data-theme", "dark")
    expect(page.locator("html")).to_have_attribute("data-size", "xl")
    assert "sans" in prose_style(page, "fontFamily").lower() or "system-ui" in prose_style(page, "fontFamily")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(22, 23, 27)"
    expect(page.get_by_label(field("Theme"))).to_have_value("dark")


def test_a_users_settings_are_saved_to_the_account_and_rendered_by_the_server(archive: Archive) -> None:
    work = archive.make_work(title="Small Hours")
    context = archive.context(user=archive.bob)
    page = context.new_page()
    page.goto(f"/works/{work.pk}/")
    page.get_by_text("Display").click()
    with page.expect_response("**/account/reader-settings") as response:
        page.get_by_label(field("Line width")).select_option("wide")
    assert response.value.status == 204
    expect(page.locator(".display-note")).to_have_text("Saved to your account.")
    bob = User.objects.get(pk=archive.bob.pk)
    assert bob.reader_width == "wide"
    # Another device: no localStorage, the server says it.
    other = archive.context(user=archive.bob, viewport=PHONE).new_page()
    other.route("**/static/js/**", lambda route: route.abort())  # even without JavaScript
    other.goto(f"/works/{work.pk}/")
    expect(other.locator("html")).to_have_attribute("data-width", "wide")


def test_without_javascript_a_guest_gets_the_system_theme_and_no_display_panel(archive: Archive) -> None:
    work = archive.make_work(title="Small Hours")
    context = archive.browser.new_context(base_url=archive.url, java_script_enabled=False, color_scheme="dark")
    archive.contexts.append(context)
    page = context.new_page()
    page.goto(f"/works/{work.pk}/")
    expect(page.locator(".display-settings")).to_be_hidden()
    expect(page.locator(".chapter-text")).to_contain_text("The lamp turned all night.")
    assert page.locator("body").evaluate("b => getComputedStyle(b).backgroundColor") == "rgb(22, 23, 27)"
