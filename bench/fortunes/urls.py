from operator import attrgetter

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from .models import Fortune


def fortunes(request: HttpRequest) -> HttpResponse:
    """TechEmpower's test: every row, one more added at request time, sorted, escaped."""
    rows = list(Fortune.objects.all())
    rows.append(Fortune(id=0, message="Additional fortune added at request time."))
    rows.sort(key=attrgetter("message"))
    return render(request, "fortunes.html", {"fortunes": rows})


def hello(request: HttpRequest) -> HttpResponse:
    """The floor: Django's request handling and nothing else."""
    return HttpResponse("Hello, World!", content_type="text/plain")


urlpatterns = [
    path("fortunes/", fortunes),
    path("hello/", hello),
]
