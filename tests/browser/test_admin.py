"""Editors in the admin, with a real browser: what they type is what readers get."""

import pytest

from articles.models import Article

pytestmark = pytest.mark.browser

PASSWORD = "a-long-local-test-password"


@pytest.fixture
def editor(live_site, django_user_model):
    return django_user_model.objects.create_superuser("editor", password=PASSWORD)


def sign_in(open_page, editor, next_path):
    loaded = open_page(f"/admin/login/?next={next_path}")
    page = loaded.page
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_path}")
    return loaded


def test_two_paragraphs_typed_in_the_admin_are_two_paragraphs_on_the_story(
    open_page, editor, live_site
):
    """The browser sends the text area's lines ended by CR LF; the body is split on blank
    lines, so the story kept its paragraphs only once every line end became LF."""
    loaded = sign_in(open_page, editor, "/admin/articles/article/add/")
    page = loaded.page
    page.fill("#id_title", "Two Paragraphs Typed By Hand")  # the slug follows, by script
    page.select_option("#id_status", "published")
    page.click("#id_body")
    page.keyboard.type("The first paragraph, typed.")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("The second paragraph, typed.")
    page.click("input[name=_save]")
    page.wait_for_url("**/admin/articles/article/")

    article = Article.objects.get(slug="two-paragraphs-typed-by-hand")
    assert article.body == "The first paragraph, typed.\n\nThe second paragraph, typed."
    page.goto(live_site + article.get_absolute_url())
    paragraphs = page.locator(".story__body p")
    assert paragraphs.all_inner_texts() == [
        "The first paragraph, typed.",
        "The second paragraph, typed.",
    ]
    assert loaded.problems == []
