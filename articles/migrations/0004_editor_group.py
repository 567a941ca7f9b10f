"""The “Editor” group: the newsroom's work — stories, quotes, sources, corrections, outlets,
tags, people, aliases, relationships and their history — but not users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITED = {
    "articles": ["article", "quote", "mention", "sourcelink", "publication", "taggedarticle",
                 "correction", "dismissal"],
    "people": ["person", "alias", "relationship", "source"],
    "taggit": ["tag"],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_editor_group(apps, schema_editor):
    # Permissions are normally created after all migrations: create them now, so the group
    # can be given them on a fresh database too.
    for app_label in ["articles", "people", "taggit"]:
        config = apps.get_app_config(app_label)
        config.models_module = True
        create_permissions(config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editor")
    codenames = [
        f"{action}_{model}"
        for models in EDITED.values()
        for model in models
        for action in ACTIONS
    ]
    permissions = Permission.objects.filter(
        content_type__app_label__in=EDITED, codename__in=codenames
    )
    group.permissions.add(*permissions)


def remove_editor_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editor").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_editing"),
        ("people", "0004_editing"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_editor_group, remove_editor_group)]
