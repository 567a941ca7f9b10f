"""The finder out of the request: an admin save queues a job, the story's page says
“finding…” until a worker has read it, and what the job writes never overwrites a newer save
— nor does a form opened before the job wrote overwrite what it found."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles import jobs as story_jobs
from articles.models import Article
from jobs.models import Job
from jobs.queue import execute
from tests.articles.test_finding import SEED
from tests.forms import form_data
from tests.html import page, text

NEW_QUOTE = "\n\n“We are doing fine,” North West told reporters."


@pytest.fixture
def story(demo):
    Article.objects.all().delete()
    call_command("import_stories", str(SEED), stdout=StringIO())
    return Article.objects.get()


@pytest.fixture
def editor(db):
    user = User.objects.create_superuser("sam", password="a long password for sam")
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def with_broker(settings):
    """A broker configured: jobs wait for a worker. (The test's transaction never commits, so
    nothing is sent; the test does the worker's part with `execute`.)"""
    settings.JOB_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"


def change_url(story):
    return reverse("admin:articles_article_change", args=[story.pk])


def finding_notice(client, story):
    notice = page(client.get(change_url(story))).find(class_="finding")
    return text(notice) if notice else None


def finder_job(story):
    return Job.objects.get(kind=story_jobs.FIND_IN_STORY, target=str(story.pk), state="queued")


def test_a_save_queues_the_finder_and_the_page_says_finding_until_it_is_done(
    editor, story, with_broker
):
    url = change_url(story)
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["body"] += NEW_QUOTE
    response = editor.post(url, {**data, "_continue": "Save"}, follow=True)
    assert "Finding quotes and people in the text…" in response.content.decode()
    assert not story.quotes.filter(text="We are doing fine").exists()
    assert finding_notice(editor, story).startswith("finding…")

    # Saved twice before a worker came: one reading.
    data = form_data(editor.get(url).content.decode(), "article_form")
    assert editor.post(url, {**data, "_save": "Save"}).status_code == 302
    job = finder_job(story)

    assert execute(job.pk).state == "done"  # what a worker does
    job.refresh_from_db()
    assert job.result == "found, to check: 1 quote"
    assert story.quotes.get(text="We are doing fine").status == "found"
    assert finding_notice(editor, story) is None


def test_without_a_broker_the_save_shows_what_was_found(editor, story):
    url = change_url(story)
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["body"] += NEW_QUOTE
    response = editor.post(url, {**data, "_save": "Save"}, follow=True)
    assert "Found in the text, to check: 1 quote —" in response.content.decode()
    assert Job.objects.get(kind=story_jobs.FIND_IN_STORY).state == "done"


def test_a_form_opened_before_the_finder_wrote_cannot_overwrite_what_it_found(
    editor, story, with_broker
):
    url = change_url(story)
    data = form_data(editor.get(url).content.decode(), "article_form")
    data["body"] += NEW_QUOTE
    assert editor.post(url, {**data, "_continue": "Save"}).status_code == 302
    opened = form_data(editor.get(url).content.decode(), "article_form")  # still finding…
    execute(finder_job(story).pk)

    opened["dek"] = "A dek typed while the finder read the story."
    response = editor.post(url, {**opened, "_save": "Save"})
    assert response.status_code == 409
    story.refresh_from_db()
    assert story.dek != opened["dek"]
    assert story.quotes.get(text="We are doing fine").status == "found"


def test_the_finder_never_writes_findings_of_a_text_saved_over_meanwhile(
    story, with_broker, monkeypatch
):
    story.body += NEW_QUOTE
    story.save()
    job = story_jobs_enqueue(story)
    readings = []
    real_find_in = story_jobs.find_in

    def an_editor_saves_during_the_first_reading(article):
        findings = real_find_in(article)
        readings.append(article.body)
        if len(readings) == 1:
            newer = Article.objects.get(pk=article.pk)
            newer.body = newer.body.replace(NEW_QUOTE, "\n\n“All good,” North West said.")
            newer.save()
        return findings

    monkeypatch.setattr(story_jobs, "find_in", an_editor_saves_during_the_first_reading)
    assert execute(job.pk).state == "done"
    assert len(readings) == 2  # the older text's findings were dropped, the newer read
    assert not story.quotes.filter(text="We are doing fine").exists()
    assert story.quotes.get(text="All good").status == "found"


def story_jobs_enqueue(story):
    from jobs.queue import enqueue

    return enqueue(story_jobs.FIND_IN_STORY, str(story.pk))


def test_a_large_import_leaves_the_finder_to_jobs(demo, settings, tmp_path):
    settings.FINDER_JOBS_FROM = 2
    settings.JOB_BROKER_URL = "amqp://guest:guest@127.0.0.1:5672//"
    Article.objects.all().delete()
    seed = SEED.read_text()
    for day in (9, 10, 11):  # the seed story on three days: three stories
        (tmp_path / f"{day}.txt").write_text(seed.replace("2022-02-09", f"2022-02-{day:02}", 1))
    out = StringIO()
    call_command("import_stories", str(tmp_path), stdout=out)
    assert "the finder reads them in 3 job(s) now" in out.getvalue()
    assert not Article.objects.filter(quotes__isnull=False).exists()
    for job in Job.objects.filter(kind=story_jobs.FIND_IN_STORY):
        assert execute(job.pk).state == "done"
    assert Article.objects.filter(quotes__status="found").distinct().count() == 3
