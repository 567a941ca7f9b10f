"""The story model's own answers."""

from django.db.models import Model

from articles.models import Article


def test_a_kind_is_displayed_as_django_displays_it():
    field = Article._meta.get_field("kind")
    for kind in [*Article.Kind.values, "not-a-kind"]:
        story = Article(kind=kind)
        assert story.get_kind_display() == Model._get_FIELD_display(story, field)
    assert Article(kind=Article.Kind.SOCIAL_POST).get_kind_display() == "Social post"
