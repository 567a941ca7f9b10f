import datetime

from django.utils import timezone

from articles.models import Article


def test_the_front_page_lists_published_stories_only(client, make_article):
    make_article("Out now")
    make_article("Still a draft", status=Article.Status.DRAFT)
    make_article("Coming soon", published_on=timezone.localdate() + datetime.timedelta(days=1))
    content = client.get("/").content.decode()
    assert "Out now" in content
    assert "Still a draft" not in content and "Coming soon" not in content


def test_a_story_has_a_permalink_and_a_draft_has_none(client, make_article):
    story = make_article("Out now")
    draft = make_article("Still a draft", status=Article.Status.DRAFT)
    assert story.get_absolute_url() == "/articles/2022/02/09/out-now/"
    assert client.get(story.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_published_means_published_and_dated_today_or_before(make_article):
    today = timezone.localdate()
    make_article("Today", published_on=today)
    make_article("Tomorrow", published_on=today + datetime.timedelta(days=1))
    make_article("Draft", status=Article.Status.DRAFT, published_on=today)
    assert [a.title for a in Article.objects.published()] == ["Today"]
