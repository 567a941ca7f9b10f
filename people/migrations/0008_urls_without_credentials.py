"""People's sources carry no user name or password in their addresses (see
articles.0013_urls_without_credentials): any stored before are removed from the address."""

from django.db import migrations, models

PATTERN = "^[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*@"
MESSAGE = (
    "Remove the user name and password from the address (the “name:password@” before the "
    "site's name): the site would be sent them, and readers would see them."
)


def without_credentials(url):
    scheme, _, rest = url.partition("://")
    ends = [i for i in (rest.find(c) for c in "/?#") if i >= 0]
    end = min(ends) if ends else len(rest)
    return f"{scheme}://{rest[:end].rpartition('@')[2]}{rest[end:]}"


def remove_credentials(apps, schema_editor):
    Source = apps.get_model("people", "Source")
    for source in Source.objects.filter(url__regex=PATTERN).only("pk", "url"):
        Source.objects.filter(pk=source.pk).update(url=without_credentials(source.url))


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0007_relationship_started_idx"),
    ]

    operations = [
        migrations.RunPython(remove_credentials, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="source",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__regex", PATTERN), _negated=True),
                name="people_source_url_no_credentials",
                violation_error_message=MESSAGE,
            ),
        ),
    ]
