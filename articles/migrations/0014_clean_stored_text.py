"""Text stored before input refused control characters and turned CR LF into LF: cleaned as
common/text.py's rule has it (a browser's CR LF in a body had made it one paragraph). Tags:
their names too, and a tag without letters or digits (no address, a server error on any
story carrying it) gets one, `tag-<id>`."""

from django.db import migrations

from common.text import clean_stored, dirty_pattern, without_control_characters

# Field → whether it holds lines.
FIELDS = {
    "Publication": {"name": False},
    "Article": {"title": False, "dek": True, "body": True, "byline": False},
    "Quote": {"text": True, "context": False},
    "SourceLink": {"label": False, "url": False},
    "Correction": {"note": True},
    "Dismissal": {"quote_text": True, "person_name": False},
    "ProposedPerson": {"name": False, "sentence": True, "pronouns": False},
}


def clean(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for model, fields in FIELDS.items():
        clean_stored(apps.get_model("articles", model), fields, vendor)
    Tag = apps.get_model("taggit", "Tag")
    TaggedArticle = apps.get_model("articles", "TaggedArticle")
    for tag in Tag.objects.filter(name__regex=dirty_pattern(False, vendor)):
        name = without_control_characters(tag.name, lines=False).strip()
        same = Tag.objects.filter(name__iexact=name).exclude(pk=tag.pk).first() if name else None
        if same is None and name:
            Tag.objects.filter(pk=tag.pk).update(name=name)
            continue
        # Its clean name is another tag's (or nothing): its stories move to that tag.
        for item in TaggedArticle.objects.filter(tag=tag):
            if same is None or TaggedArticle.objects.filter(
                content_object_id=item.content_object_id, tag=same
            ).exists():
                item.delete()
            else:
                TaggedArticle.objects.filter(pk=item.pk).update(tag=same)
        tag.delete()
    taken = set(Tag.objects.values_list("slug", flat=True))
    for pk, slug in list(Tag.objects.values_list("pk", "slug")):
        if not any(character.isalnum() for character in slug):
            address, n = f"tag-{pk}", 1
            while address in taken:
                n += 1
                address = f"tag-{pk}-{n}"
            taken.add(address)
            Tag.objects.filter(pk=pk).update(slug=address)


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0013_urls_without_credentials"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
    ]

    operations = [migrations.RunPython(clean, migrations.RunPython.noop, elidable=True)]
