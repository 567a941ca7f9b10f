"""Versions in the admin, posted for real: simple-history's own revert form is closed, a
change form must say which revision it was opened at, and a restore takes the same row lock
and revision check as a save (raced on PostgreSQL with two connections)."""

import threading

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from articles.models import Article
from history.versions import WITHOUT_REVISION, StaleEditGuard
from tests.forms import form_data
from tests.html import page, text
from tests.pictures.images import stored_picture


def labels(kind):
    return sorted(
        model._meta.label_lower
        for model, model_admin in admin.site._registry.items()
        if isinstance(model_admin, kind)
    )


# A text field an editor can change on each model kept with versions.
EDITED = {
    "articles.article": "title",
    "articles.quote": "text",
    "people.person": "bio",
    "people.relationship": "note",
    "pictures.picture": "caption",
}


def test_every_model_with_versions_in_the_admin_is_tried_below():
    assert labels(SimpleHistoryAdmin) == sorted(EDITED)


@pytest.fixture
def staff(db):
    user = User.objects.create_superuser("root", password="a long password for root")
    client = Client()
    client.force_login(user)
    return client


def url(obj, view, *args):
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk, *args])


def open_form(client, obj):
    response = client.get(url(obj, "change"))
    assert response.status_code == 200
    return form_data(response.content.decode(), f"{obj._meta.model_name}_form")


def save(client, obj, data):
    return client.post(url(obj, "change"), {**data, "_save": "Save"})


def first_of(label):
    found = apps.get_model(label).objects.order_by("pk").first()
    if found is None and label == "pictures.picture":  # the demo data carries no pictures
        found = stored_picture(renditions=False, caption="A generated picture")
    return found


# --- simple-history's own revert form ------------------------------------------------------


@pytest.mark.parametrize("label", sorted(EDITED))
def test_simple_historys_revert_form_is_closed_even_when_posted_directly(staff, demo, label):
    """Its button is hidden, but the address answered and a POST saved whatever it was given,
    past the stale-edit guard. Now it is not found, and nothing changes."""
    obj = first_of(label)
    field = EDITED[label]
    record = obj.history.order_by("history_date").first()
    before, versions = getattr(obj, field), obj.history.count()
    data = open_form(staff, obj)
    data[field] = "Changed behind the compare page's back"
    revert = reverse(
        f"admin:{obj._meta.app_label}_{obj._meta.model_name}_simple_history",
        args=[obj.pk, record.history_id],
    )
    assert staff.get(revert).status_code == 404
    response = staff.post(revert, {**data, "_save": "Save"})
    assert response.status_code == 404
    obj.refresh_from_db()
    assert getattr(obj, field) == before
    assert obj.history.count() == versions


# --- the stale-edit guard's field ----------------------------------------------------------


@pytest.mark.parametrize("opened", [None, "", "abc", "1\x00"])
@pytest.mark.parametrize("label", labels(StaleEditGuard))
def test_a_change_form_without_the_revision_it_was_opened_at_is_refused(staff, demo, label, opened):
    """Left out of the post, the guard had nothing to compare and saved over anyone's edit."""
    obj = first_of(label)
    field = EDITED[label]
    before, versions = getattr(obj, field), obj.history.count()
    data = open_form(staff, obj)
    data[field] = "Saved without saying when the form was opened"
    if opened is None:
        del data["opened_revision"]
    else:
        data["opened_revision"] = opened
    response = save(staff, obj, data)
    assert response.status_code == 200
    errors = [text(element) for element in page(response).select(".errorlist.nonfield li")]
    assert errors == [WITHOUT_REVISION]
    # What was typed is still in the form, for the editor to copy.
    assert "Saved without saying when the form was opened" in response.content.decode()
    obj.refresh_from_db()
    assert getattr(obj, field) == before
    assert obj.history.count() == versions


@pytest.mark.parametrize("label", labels(StaleEditGuard))
def test_a_change_form_with_its_revision_still_saves(staff, demo, label):
    obj = first_of(label)
    field = EDITED[label]
    data = open_form(staff, obj)
    data[field] = "A plain edit"
    assert save(staff, obj, data).status_code == 302
    obj.refresh_from_db()
    assert getattr(obj, field) == "A plain edit"


# --- a restore against a save ---------------------------------------------------------------


def test_a_restore_from_a_stale_compare_page_of_a_quote_is_refused(staff, demo):
    """A quote has no revision of its own: its compare page carries its latest version."""
    quote = first_of("articles.quote")
    first = quote.history.order_by("history_date").first()
    data = open_form(staff, quote)
    data["text"] = "Edited once"
    assert save(staff, quote, data).status_code == 302
    compare = url(quote, "compare", first.history_id)
    token = form_data(staff.get(compare).content.decode().replace("<form", '<form id="r"'), "r")
    data["text"] = "Edited twice"
    assert save(staff, quote, data).status_code == 302
    assert staff.post(compare, {"revision": token["revision"]}).status_code == 302
    quote.refresh_from_db()
    assert quote.text == "Edited twice"
    token = form_data(staff.get(compare).content.decode().replace("<form", '<form id="r"'), "r")
    response = staff.post(compare, {"revision": token["revision"]})
    assert response.status_code == 302 and response.url == url(quote, "change")
    quote.refresh_from_db()
    assert quote.text == first.text


class Request(threading.Thread):
    """One editor's browser, on a connection of its own: it says which PostgreSQL backend it
    is, then posts."""

    def __init__(self, client, address, data):
        super().__init__(daemon=True)
        self.client, self.address, self.data = client, address, data
        self.backend = threading.Event()
        self.response = self.error = None

    def run(self):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self.pid = cursor.fetchone()[0]
            self.backend.set()
            self.response = self.client.post(self.address, self.data)
        except BaseException as error:  # reported by the test
            self.error = error
            self.backend.set()
        finally:
            connection.close()


def wait_until_blocked(request):
    """Until `request`'s backend waits for a lock (PostgreSQL says so), or it has finished."""
    assert request.backend.wait(60)
    with connection.cursor() as cursor:
        for _ in range(6000):  # a hang guard, not a measure: the wait is for a lock
            cursor.execute("SELECT cardinality(pg_blocking_pids(%s)) > 0", [request.pid])
            if cursor.fetchone()[0] or not request.is_alive():
                return
            threading.Event().wait(0.01)
    raise AssertionError("the request never waited for the row")


@pytest.mark.postgres
@pytest.mark.parametrize("first", ["save", "restore"])
def test_a_restore_and_a_save_racing_one_wins_and_the_other_is_refused(
    on_postgres, transactional_db, first
):
    """Both start from the same revision; the test holds the story's row so that both are
    waiting for it, the `first` one queued first, then lets go. Before, a restore checked
    the revision before taking the row and overwrote a save that came first: both answered
    success, the save was gone, two versions had the same revision."""
    from django.core.management import call_command

    call_command("loaddata", "demo", verbosity=0)
    user = User.objects.create_superuser("root", password="a long password for root")
    sam, alex = Client(), Client()
    sam.force_login(user)
    alex.force_login(user)
    story = Article.objects.get()
    original_dek = story.dek
    first_version = story.history.order_by("history_date").first()
    edit = open_form(sam, story)
    edit["dek"] = "An edited dek"
    assert save(sam, story, edit).status_code == 302
    story.refresh_from_db()
    compare = url(story, "compare", first_version.history_id)
    sams_form = {**open_form(sam, story), "title": "Sam's headline", "_save": "Save"}
    saving = Request(sam, url(story, "change"), sams_form)
    restoring = Request(alex, compare, {"revision": str(story.revision)})
    order = [saving, restoring] if first == "save" else [restoring, saving]
    with transaction.atomic():
        Article.objects.select_for_update().get(pk=story.pk)
        for request in order:
            request.start()
            wait_until_blocked(request)
    for request in order:
        request.join(60)
        assert not request.is_alive() and request.error is None, request.error
    saved = saving.response.status_code == 302
    restored = restoring.response.url == url(story, "change")
    assert saved != restored, "exactly one may win"
    story.refresh_from_db()
    if saved:
        assert restoring.response.url == compare  # refused: compare once more
        assert (story.title, story.dek) == ("Sam's headline", "An edited dek")
    else:
        assert saving.response.status_code == 409
        assert "Someone saved this story after you opened it" in saving.response.content.decode()
        assert story.dek == original_dek and story.title != "Sam's headline"
    assert first == ("save" if saved else "restore")
    revisions = list(story.history.values_list("revision", flat=True))
    assert len(revisions) == len(set(revisions)), revisions
