from django.shortcuts import get_object_or_404, render

from .models import Article, Publication, Quote


def front_page(request):
    latest = Article.objects.published().select_related("publication")[:20]
    return render(request, "articles/front_page.html", {"latest": latest})


def article_detail(request, year, month, day, slug):
    article = get_object_or_404(
        Article.objects.published().select_related("publication"),
        published_on__year=year,
        published_on__month=month,
        published_on__day=day,
        slug=slug,
    )
    return render(request, "articles/article_detail.html", {"article": article})


def quote_detail(request, pk):
    quote = get_object_or_404(
        Quote.objects.filter(article__in=Article.objects.published()).select_related(
            "article", "speaker"
        ),
        pk=pk,
    )
    return render(request, "articles/quote_detail.html", {"quote": quote})


def publication_detail(request, slug):
    publication = get_object_or_404(Publication, slug=slug)
    return render(request, "articles/publication_detail.html", {"publication": publication})
