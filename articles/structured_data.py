from collections.abc import Callable, Iterable, Sequence
from typing import Any

from common.jsonld import with_context
from people.models import Person
from people.structured_data import person_reference
from pictures.sharing import ShareImage, image_data

from .models import Article, Correction, Quote


def article_data(
    article: Article,
    people: Iterable[Person],
    absolute: Callable[[str], str],
    corrections: Sequence[Correction] = (),
    image: ShareImage | None = None,
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "NewsArticle",
        "headline": article.title,
        "url": absolute(article.get_absolute_url()),
        "mainEntityOfPage": absolute(article.get_absolute_url()),
        "datePublished": article.published_on.isoformat(),
        "dateModified": article.updated_at.isoformat(),
        "articleSection": article.get_kind_display(),
        "mentions": [person_reference(person, absolute) for person in people],
    }
    if image is not None:
        data["image"] = image_data(image, absolute)
    if article.dek:
        data["description"] = article.dek
    if article.byline:
        data["author"] = {"@type": "Person", "name": article.byline}
    if article.publication:
        data["publisher"] = {"@type": "Organization", "name": article.publication.name}
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.note,
                "datePublished": correction.corrected_on.isoformat(),
            }
            for correction in corrections
        ]
    return with_context(data)


def quote_data(quote: Quote, absolute: Callable[[str], str]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@type": "Quotation",
        "text": quote.text,
        "url": absolute(quote.get_absolute_url()),
        "isPartOf": {
            "@type": "NewsArticle",
            "headline": quote.article.title,
            "url": absolute(quote.article.get_absolute_url()),
        },
    }
    speakers = [person_reference(person, absolute) for person in quote.speakers]
    if speakers:
        # Several creators for words said together (a joint statement).
        data["creator"] = speakers[0] if len(speakers) == 1 else speakers
    if quote.said_on:
        data["dateCreated"] = quote.said_on.isoformat()
    return with_context(data)
