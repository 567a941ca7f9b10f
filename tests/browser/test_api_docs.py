"""The API's browsable docs and the open data page in a real browser, under the site's Content
Security Policy: Swagger UI's script and styles come from the site's own static files (the CSP
allows only 'self'), nothing is refused, and the docs can call the API."""

from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser


def test_the_api_docs_work_under_the_sites_csp(open_page, live_site, screenshots_dir):
    # Chromium reports anything the policy refuses as a console error: a problem of the page.
    loaded = open_page("/api/v1/docs")
    page = loaded.page
    policy = page.context.request.get(loaded.url).headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-eval" not in policy
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = page.eval_on_selector_all(
        ".opblock-summary-path", "els => els.map(el => el.textContent.trim())"
    )
    assert "/api/v1/people/{slug}/" in paths and "/api/v1/stories/" in paths
    # Ask the API from the docs: the list of outlets, with "Try it out".
    operation = page.locator("#operations-outlets-opendata_api_list_outlets")
    operation.locator(".opblock-summary").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    status = operation.locator(".live-responses-table .response .response-col_status").first
    status.wait_for(timeout=15_000)
    assert status.text_content().strip() == "200"
    assert "Vogue" in operation.locator(".live-responses-table .microlight").first.text_content()
    page.screenshot(path=screenshots_dir / "api-docs-desktop.png", full_page=True)
    fetched = page.evaluate("performance.getEntriesByType('resource').map(entry => entry.name)")
    assert any(url.endswith(".js") for url in fetched)
    origin = urlsplit(live_site)[:2]
    elsewhere = [url for url in fetched if urlsplit(url)[:2] != origin]
    assert elsewhere == [], "the docs fetched from another site"
    assert not loaded.problems, "\n".join(loaded.problems)


@pytest.mark.parametrize("width", ["phone", "desktop"])
def test_the_open_data_page_loads_cleanly(open_page, screenshots_dir, width):
    loaded = open_page("/data/", width)
    loaded.page.screenshot(path=screenshots_dir / f"data-{width}.png", full_page=True)
    heading = loaded.page.locator("h1").text_content()
    assert heading == "Open data"
    scroll, viewport = loaded.page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll <= viewport + 1, f"scrolls sideways: {scroll}px in {viewport}px"
    assert not loaded.problems, "\n".join(loaded.problems)
