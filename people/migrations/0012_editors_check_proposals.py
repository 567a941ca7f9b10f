"""Editors check what an import proposes: the “Editor” group may view, confirm and dismiss
proposals (change), and delete them; they are never added by hand."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ACTIONS = ["change", "delete", "view"]


def allow_editors(apps, schema_editor):
    config = apps.get_app_config("people")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editor")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="people",
            codename__in=[f"{action}_proposal" for action in ACTIONS],
        )
    )


def disallow_editors(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for group in Group.objects.filter(name="Editor"):
        group.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="people", codename__endswith="_proposal"
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("people", "0011_wikidata_proposals"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(allow_editors, disallow_editors)]
