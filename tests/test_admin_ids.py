"""Ids that cannot be ids — "abc", a NUL byte, a number past any column — in every admin
model's addresses, in an action's selected rows and in the people chosen in a form: each is a
404 or a message on the form, never a server error, on SQLite and PostgreSQL (run the suite
with DATABASE_URL for the second)."""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.contrib.auth.models import User
from django.test import Client, RequestFactory
from django.urls import reverse

from articles.models import Article, ProposedPerson
from common.adminids import IdsChecked
from history.versions import VersionedAdmin
from tests.forms import form_data
from tests.html import page, text
from tests.pictures.images import stored_picture

ODD_IDS = ["abc", "1\x00", "\x00", "1.5", "99999999999999999999", "1/2"]

ADMINS = {model._meta.label_lower: model for model in admin.site._registry}


@pytest.fixture
def root(db):
    return User.objects.create_superuser("root", password="a long password for root")


@pytest.fixture
def staff(root):
    # A server error is an answer here (500), not an exception, so that every address is
    # tried and every failure listed.
    client = Client(raise_request_exception=False)
    client.force_login(root)
    return client


@pytest.fixture
def archive(demo):
    """The demo, with a proposed new person and a picture so that their screens and inlines
    are there too."""
    ProposedPerson.objects.create(
        article=Article.objects.get(), name="Juno Castellanos", sentence="Juno said so."
    )
    stored_picture(renditions=False)


def name(model, view):
    return f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"


def not_found(response, read_only=False):
    """A 404, or Django's own answer for a row that does not exist: the admin's index with a
    message (its change and delete views), redirects followed. A screen that changes nothing
    (the jobs operators watch) refuses every POST before looking for the row: 403."""
    if response.status_code == 404 or (read_only and response.status_code == 403):
        return True
    chain = [address for address, _ in response.redirect_chain]
    return response.status_code == 200 and chain[-1:] == [reverse("admin:index")]


@pytest.mark.parametrize("label", sorted(ADMINS))
def test_odd_ids_in_every_admin_address_are_not_found(staff, root, archive, label):
    model = ADMINS[label]
    model_admin = admin.site._registry[model]
    row = model._default_manager.order_by("pk").first()
    base = reverse(name(model, "changelist"))
    addresses = []
    for odd in map(quote, ODD_IDS):
        addresses += [f"{base}{odd}/change/", f"{base}{odd}/delete/", f"{base}{odd}/history/"]
        if isinstance(model_admin, VersionedAdmin):
            version = model.history.order_by("history_id").first()
            addresses += [
                f"{base}{odd}/history/{version.history_id}/compare/",
                f"{base}{odd}/history/{version.history_id}/",  # simple-history's revert form
                f"{base}{row.pk}/history/{odd}/",
                f"{base}{row.pk}/history/99999999999999999999/compare/",
            ]
    request = RequestFactory().get("/")
    request.user = root
    read_only = not model_admin.has_change_permission(request)
    wrong = []
    for address in addresses:
        for method in (staff.get, staff.post):
            response = method(address, follow=True)
            if not not_found(response, read_only and method == staff.post):
                wrong.append(f"{method.__name__.upper()} {address!r}: {response.status_code}")
    assert not wrong, "\n".join(wrong)

    # An action on rows selected by odd ids: a message on the list, nothing done.
    request = RequestFactory().get("/")
    request.user = root
    changelist = reverse(name(model, "changelist"))
    rows = model._default_manager.count()
    for action in model_admin.get_actions(request):
        for odd in ODD_IDS:
            response = staff.post(
                changelist,
                {"action": action, ACTION_CHECKBOX_NAME: ["1", odd], "index": "0"},
                follow=True,
            )
            chain = [address for address, _ in response.redirect_chain]
            messages = [text(item) for item in page(response).select("ul.messagelist li.error")]
            if chain != [changelist] or not any("nothing was done" in m for m in messages):
                wrong.append(f"{action} on {odd!r}: {response.status_code} {chain} {messages}")
    assert not wrong, "\n".join(wrong)
    assert model._default_manager.count() == rows


def autocomplete_fields(html, form_id):
    soup = page(html)
    return [select["name"] for select in soup.select(f"#{form_id} select.admin-autocomplete")]


@pytest.mark.parametrize("label", sorted(ADMINS))
def test_an_odd_id_chosen_in_a_form_is_a_form_error(staff, archive, label):
    """Every autocomplete field of the screen (the inlines' people and outlets included) set
    to "1\\x00" or "abc": the form comes back with its error, nothing saved. Django's widget
    looked the value up as it came to show it again: a server error."""
    model = ADMINS[label]
    row = model._default_manager.order_by("pk").first()
    if row is None or not admin.site._registry[model].has_change_permission(
        type("R", (), {"user": User.objects.get(username="root")})(), row
    ):
        pytest.skip("no row of this model to change")
    address = reverse(name(model, "change"), args=[row.pk])
    html = staff.get(address).content.decode()
    form_id = f"{model._meta.model_name}_form"
    fields = [field for field in autocomplete_fields(html, form_id) if "__prefix__" not in field]
    if not fields:
        pytest.skip("no person, story or outlet is chosen on this screen")
    versions = model.history.count() if hasattr(model, "history") else None
    wrong = []
    for field in fields:
        for odd in ["1\x00", "abc"]:
            data = {**form_data(html, form_id), field: odd, "_save": "Save"}
            response = staff.post(address, data)
            errors = page(response).select(".errorlist li") if response.status_code == 200 else []
            if response.status_code != 200 or not errors:
                wrong.append(f"{field}={odd!r}: {response.status_code}")
    assert not wrong, "\n".join(wrong)
    if versions is not None:
        assert model.history.count() == versions


def test_every_admin_screen_with_autocomplete_fields_checks_its_ids():
    """The widgets that look chosen ids up are the checked ones, on every screen and inline."""
    unchecked = []
    for model_admin in admin.site._registry.values():
        for part in [
            model_admin,
            *(inline(model_admin.model, admin.site) for inline in model_admin.inlines),
        ]:
            if part.autocomplete_fields and not isinstance(part, IdsChecked):
                unchecked.append(type(part).__name__)
    assert not unchecked
