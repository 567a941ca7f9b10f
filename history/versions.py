"""Versions in the admin: compare any kept version with the current one, restore it, and
refuse a save from a form that was opened before someone else saved (`StaleEditGuard`).

Versions are kept by django-simple-history (`history = HistoricalRecords()` on the models);
docs/workflow.md says why that library.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.admin import SimpleHistoryAdmin

from common.adminids import IdsChecked

from .revisions import Revisioned

# Bookkeeping that changes on every save and says nothing to an editor.
NOT_COMPARED = {"id", "revision", "created_at", "updated_at", "search_names", "name_keys", "uid"}

# A model kept with versions, and one of its versions: django-simple-history makes the
# `history` manager and the version's model as the program runs, so neither has a type here.
Versioned: TypeAlias = Any
Version: TypeAlias = Any
# Rows edited along with something (a story's quotes): their model and the condition naming them.
Part: TypeAlias = tuple[type[Versioned], models.Q]

if TYPE_CHECKING:
    from django.contrib.admin.options import _FieldsetSpec

    # django-simple-history ships no types; its admin is a ModelAdmin.
    _HistoryAdmin = admin.ModelAdmin[Any]
else:
    _HistoryAdmin = SimpleHistoryAdmin


@dataclass
class Change:
    field: str
    then: str
    now: str


def shown(instance: models.Model, field: models.Field[Any, Any]) -> str:
    if field.choices:
        return dict(field.flatchoices).get(getattr(instance, field.attname), "")
    if field.is_relation:
        if getattr(instance, field.attname) is None:
            return "—"
        try:
            return str(getattr(instance, field.name))
        except ObjectDoesNotExist:
            return "(since deleted)"
    value = getattr(instance, field.attname)
    return "—" if value in (None, "") else str(value)


def is_gone(field: models.Field[Any, Any], value: Any) -> bool:
    """A foreign key of a version naming a row deleted since (versions keep no constraint)."""
    target = field.related_model  # a model class once the models are loaded
    if not field.many_to_one or value is None or not isinstance(target, type):
        return False
    return not target._default_manager.filter(pk=value).exists()


def compared_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable and not field.generated and field.name not in NOT_COMPARED
    ]


def field_changes(model: type[models.Model], then: models.Model, now: models.Model) -> list[Change]:
    """What differs between two instances of `model`, field by field, as editors read it."""
    changes = []
    for field in compared_fields(model):
        before, after = shown(then, field), shown(now, field)
        if getattr(then, field.attname) != getattr(now, field.attname):
            changes.append(Change(str(field.verbose_name), before, after))
    return changes


def part_changes(parts: Iterable[Part], when: datetime) -> list[Change]:
    """What changed since `when` among `parts` — (model, condition) pairs naming the rows
    edited along with something, a story's quotes say — as editors read it."""
    changes = []
    for model, condition in parts:
        then = {item.pk: item for item in model.history.as_of(when).filter(condition)}
        now = {item.pk: item for item in model.objects.filter(condition)}
        name = model._meta.verbose_name
        for pk in then.keys() - now.keys():
            changes.append(Change(f"{name} removed", str(then[pk]), "—"))
        for pk in now.keys() - then.keys():
            changes.append(Change(f"{name} added", "—", str(now[pk])))
        for pk in then.keys() & now.keys():
            for change in field_changes(model, then[pk], now[pk]):
                changes.append(
                    Change(f"{name} “{now[pk]}”: {change.field}", change.then, change.now)
                )
    return changes


def last_part_change(parts: Iterable[Part], since: datetime) -> Version | None:
    """The latest version saved among `parts` after `since`, or None."""
    latest = [
        model.history.filter(condition, history_date__gt=since)
        .select_related("history_user")
        .order_by("-history_date")
        .first()
        for model, condition in parts
    ]
    return max(filter(None, latest), key=lambda record: record.history_date, default=None)


def settled(record: Version) -> datetime:
    """The moment a version stood complete: the parts saved with it (a story's quotes, saved
    just after the story in the same request) included. That is just before the next version,
    or now if it is the latest."""
    later = (
        type(record)
        .objects.filter(id=record.id, history_date__gt=record.history_date)
        .order_by("history_date")
        .values_list("history_date", flat=True)
        .first()
    )
    return later - timedelta(microseconds=1) if later else timezone.now()


def version_token(obj: Versioned) -> str:
    """What a compare page carries to say which state it compared: the row's revision, or,
    for a model without one (a quote), its latest version's id."""
    if isinstance(obj, Revisioned):
        return str(obj.revision)
    latest = type(obj).history.filter(id=obj.pk).values_list("history_id", flat=True).first()
    return str(latest)


def who_and_when(record: Version) -> str:
    user = record.history_user.get_username() if record.history_user else "someone"
    return f"{user}, {date_format(timezone.localtime(record.history_date), 'j F Y, H:i')}"


class VersionedAdmin(IdsChecked, _HistoryAdmin):
    """The history list, plus: compare a version with the current one, and restore it."""

    object_history_list_template = "admin/versions/history_list.html"
    compare_template = "admin/versions/compare.html"

    def get_urls(self) -> list[URLPattern]:
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/history/<int:history_id>/compare/",
                self.admin_site.admin_view(self.compare_view),
                name=f"{opts.app_label}_{opts.model_name}_compare",
            ),
            *super().get_urls(),
        ]

    def parts(self, obj: models.Model) -> list[Part]:
        """The rows edited along with `obj` (a story's quotes…), as (model, condition). A
        change to one moves `obj`'s revision on (signals.py, `touch`); a stale save is told
        what changed among them."""
        return []

    def restored_parts(self, obj: models.Model) -> list[Part]:
        """The parts that are versions of `obj` too: its compare page lists their changes and
        a restore brings them back."""
        return self.parts(obj)

    def related_changes(self, obj: models.Model, when: datetime) -> list[Change]:
        """Changes to the restored parts since `when`."""
        return part_changes(self.restored_parts(obj), when)

    def restore_related(self, obj: models.Model, when: datetime) -> None:
        """Bring the restored parts back to how they were at `when`: those added since are
        deleted, those deleted since come back under their old keys, the others are set back
        field by field — each saved, so that the restore is itself a version."""
        for model, condition in self.restored_parts(obj):
            then = {item.pk: item for item in model.history.as_of(when).filter(condition)}
            for item in model.objects.filter(condition).exclude(pk__in=then):
                item.delete()
            for pk, old in then.items():
                current = model.objects.filter(pk=pk).first() or model(pk=pk)
                for field in compared_fields(model):
                    setattr(current, field.attname, getattr(old, field.attname))
                if hasattr(current, "uid"):
                    current.uid = old.uid
                current.save()

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        """django-simple-history's own "revert" form: closed. It saved whatever was posted to
        it, past the stale-edit guard and without the parts; restoring is the compare page's
        (`compare_view`), which takes the same lock and revision check as a save."""
        raise Http404("Versions are restored from their compare page.")

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        # simple-history hands the id to the database as it comes: "abc" or "1\x00" was a
        # server error. An id that cannot be one is not found.
        try:
            self.model._meta.pk.to_python(unquote(object_id))
        except ValidationError:
            raise Http404(f"No {self.model._meta.verbose_name} has that id.") from None
        return super().history_view(request, object_id, extra_context)

    def compare_view(self, request: HttpRequest, object_id: str, history_id: int) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))  # None for an odd id too
        if obj is None:
            raise Http404(f"No {self.model._meta.verbose_name} has that id.")
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        record = get_object_or_404(obj.history.all(), history_id=history_id)
        then = record.instance
        if request.method == "POST":
            if not self.has_change_permission(request, obj):
                raise PermissionDenied
            restored = self.restore(request, obj, record)
            if restored is None:
                messages.error(
                    request,
                    "This changed again while you were comparing: nothing was restored. "
                    "Compare once more.",
                )
                return HttpResponseRedirect(request.path)
            messages.success(request, f"Restored the version of {who_and_when(record)}.")
            opts = self.model._meta
            change_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change", args=[restored.pk]
            )
            return HttpResponseRedirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "object": obj,
            "record": record,
            "token": version_token(obj),
            "who_and_when": who_and_when(record),
            "changes": field_changes(self.model, then, obj),
            "related_changes": self.related_changes(obj, settled(record)),
            "can_restore": self.has_change_permission(request, obj),
            "title": f"Compare a version of {obj}",
        }
        return TemplateResponse(request, self.compare_template, context)

    def restore(self, request: HttpRequest, obj: Versioned, record: Version) -> Versioned | None:
        """Make `record` the current version of `obj`, as a save would: the row locked, the
        revision the compare page was opened at checked under the lock, so that a save or
        another restore that came first is never overwritten (each would refuse the other's
        stale form the same way). Returns the restored row, or None if it changed meanwhile."""
        then = record.instance
        with transaction.atomic():
            current = self.model._base_manager.select_for_update().filter(pk=obj.pk).first()
            if current is None or version_token(current) != request.POST.get("revision"):
                return None
            for field in compared_fields(self.model):
                value = getattr(then, field.attname)
                if is_gone(field, value):
                    # A picture deleted since: the version cannot bring it back.
                    messages.warning(
                        request,
                        f"The {field.verbose_name} of that version has since been deleted: "
                        "the current one is kept.",
                    )
                    continue
                setattr(current, field.attname, value)
            current._history_user = request.user
            current._change_reason = f"Restored the version of {who_and_when(record)}"
            current.save()
            self.restore_related(current, settled(record))
        return current


class OpenedAtField(forms.Field):
    """A hidden timestamp the form carries back as it was given: any value is accepted (the
    form reads it for a message only, see `opened_when`), and it is never a change."""

    widget = forms.HiddenInput

    def has_changed(self, initial: Any, data: Any) -> bool:
        return False


WITHOUT_REVISION = (
    "This form did not say which version of the page it was opened at, so it cannot be "
    "checked against saves made since: nothing was saved. Open the page again and make your "
    "changes there."
)


class RevisionForm(forms.ModelForm):
    """Carries the revision the form was opened at; refuses to save over a newer one."""

    opened_revision = forms.IntegerField(widget=forms.HiddenInput, required=False)
    # When the form was opened: what changed since, in the parts too, is what a stale save
    # is told about. Only read for that message; a missing or odd value loses nothing.
    opened_at = OpenedAtField(required=False)
    stale = False

    @staticmethod
    def parts(obj: models.Model) -> list[Part]:
        """The parts of `obj` (see VersionedAdmin.parts), set by StaleEditGuard.get_form."""
        return []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["opened_revision"].initial = self.instance.revision
            self.fields["opened_at"].initial = timezone.now().isoformat()

    def opened_when(self) -> datetime | None:
        """The moment the form was opened, if the form says so believably; else None."""
        try:
            when = datetime.fromisoformat(str(self.cleaned_data.get("opened_at") or ""))
            if when.tzinfo is None:
                return None
            when = when.astimezone(UTC)  # out of range ("0001-01-01T00:00+14:00"): refused
        except (ValueError, OverflowError):
            return None
        return when if when <= timezone.now() else None

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data  # what ModelForm.clean returns
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        # Locked until the admin's transaction ends: two saves of one row queue up here.
        current = (
            model.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("revision", flat=True)
            .first()
        )
        opened = cleaned.get("opened_revision")
        if opened is None:
            # Every change form carries it: a post without it (or with something else) is not
            # one an editor's browser sent, and saving it would skip the check below. Said at
            # the top, as the field is hidden.
            self.errors.pop("opened_revision", None)
            raise ValidationError(WITHOUT_REVISION)
        if current is not None and opened != current:
            self.stale = True
            raise ValidationError(self.conflict(opened))
        return cleaned

    def conflict(self, opened: int) -> list[str]:
        model = type(self.instance)
        records = list(model.history.filter(id=self.instance.pk).select_related("history_user"))
        at_open = next((r for r in records if r.revision <= opened), None)
        later = [r for r in records if r.revision > opened]
        since = self.opened_when() or (settled(at_open) if at_open is not None else None)
        parts = self.parts(self.instance)
        last_part = last_part_change(parts, since) if since is not None else None
        last = max(
            filter(None, [later[0] if later else None, last_part]),
            key=lambda record: record.history_date,
            default=None,
        )
        lines = [
            f"Someone saved this {model._meta.verbose_name} after you opened it"
            + (f" (last: {who_and_when(last)})" if last else "")
            + ". Nothing you typed has been saved: it is still in the form below. "
            "Open the page again in another tab to see the current version, then make your "
            "changes there."
        ]
        if at_open is not None:
            current = model.objects.get(pk=self.instance.pk)
            for change in field_changes(model, at_open.instance, current):
                lines.append(
                    f"Changed meanwhile — {change.field}: “{change.then}” → “{change.now}”"
                )
        if since is not None:
            for change in part_changes(parts, since):
                lines.append(f"Changed meanwhile — {change.field}: {change.then} → {change.now}")
        return lines


if TYPE_CHECKING:
    # The mixin goes before VersionedAdmin, whose parts it reads.
    _Guarded = VersionedAdmin
else:
    _Guarded = object


class StaleEditGuard(_Guarded):
    """ModelAdmin mixin: the change form carries its revision; a stale save is refused with
    what changed meanwhile, the form shown again (status 409), nothing saved."""

    form = RevisionForm

    def get_form(
        self,
        request: HttpRequest,
        obj: models.Model | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[RevisionForm]:
        # Made from `form`, a RevisionForm (or a subclass of it).
        form = cast(type[RevisionForm], super().get_form(request, obj, change, **kwargs))
        # The conflict message lists changes to the parts edited along (a story's quotes).
        form.parts = staticmethod(self.parts)  # type: ignore[method-assign]  # set per admin
        return form

    def get_fieldsets(self, request: HttpRequest, obj: models.Model | None = None) -> _FieldsetSpec:
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        (name, options), *rest = fieldsets
        fields = [*options.get("fields", []), "opened_revision", "opened_at"]
        return [(name, {**options, "fields": fields}), *rest]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        response = super().changeform_view(request, object_id, form_url, extra_context)
        context = getattr(response, "context_data", None) or {}
        adminform = context.get("adminform")
        if adminform is not None and getattr(adminform.form, "stale", False):
            response.status_code = 409
        return response
