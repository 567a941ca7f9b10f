"""An admin action posted with a selected row that cannot be an id (`_selected_action=abc`,
`1\x00`) is refused with a message on the list it came from: Django filters by the selected
values as they come, and the database's refusal was a server error. Every model admin, the
project's and those of the apps it uses (users, groups, sign-in attempts), goes through here.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase

from common.adminids import is_id


class RefuseOddSelections:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponseRedirect | None:
        model_admin = getattr(view_func, "model_admin", None)
        if (
            model_admin is None
            or request.method != "POST"
            or ACTION_CHECKBOX_NAME not in request.POST
            or not model_admin.admin_site.has_permission(request)
        ):
            return None
        key = model_admin.model._meta.pk
        if all(is_id(key, value) for value in request.POST.getlist(ACTION_CHECKBOX_NAME)):
            return None
        plural = model_admin.model._meta.verbose_name_plural
        messages.error(
            request,
            f"Some of the selected rows are not {plural} that exist: nothing was done. "
            "Select them again.",
        )
        return HttpResponseRedirect(request.get_full_path())
