from django.shortcuts import get_object_or_404, render

from .models import Person


def person_list(request):
    return render(request, "people/person_list.html", {"people": Person.objects.all()})


def person_detail(request, slug):
    person = get_object_or_404(Person.objects.with_aliases(), slug=slug)
    return render(request, "people/person_detail.html", {"person": person})
