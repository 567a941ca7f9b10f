"""Addresses of outlets and sources carry no user name or password.

`check_sources` would send them to the site as Basic auth, and readers would see them in the
link. Any stored before are removed from the address (the rest of it is kept), in the versions
kept in the history too, so that restoring an old version cannot bring them back.
"""

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
    for app_label, model_name in [
        ("articles", "Publication"),
        ("articles", "SourceLink"),
        ("history", "HistoricalSourceLink"),
    ]:
        model = apps.get_model(app_label, model_name)
        for row in model.objects.filter(url__regex=PATTERN).only("pk", "url"):
            model.objects.filter(pk=row.pk).update(url=without_credentials(row.url))


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0012_quote_joint_speakers_proposed_people"),
        ("history", "0002_edition"),
    ]

    operations = [
        migrations.RunPython(remove_credentials, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="publication",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__regex", PATTERN), _negated=True),
                name="articles_publication_url_no_credentials",
                violation_error_message=MESSAGE,
            ),
        ),
        migrations.AddConstraint(
            model_name="sourcelink",
            constraint=models.CheckConstraint(
                condition=models.Q(("url__regex", PATTERN), _negated=True),
                name="articles_sourcelink_url_no_credentials",
                violation_error_message=MESSAGE,
            ),
        ),
    ]
