from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand

# The apps whose rows make the archive (taggit's tags included): any row means someone's data.
ARCHIVE_APPS = ("people", "articles", "taggit")


def archive_is_empty() -> bool:
    return not any(
        model._default_manager.exists()  # `objects`, each model's only manager
        for label in ARCHIVE_APPS
        for model in apps.get_app_config(label).get_models()
    )


class Command(BaseCommand):
    help = (
        "Load the demo data (fixtures/demo.json) into an empty archive, and leave an archive "
        "with anything in it as it is: loading the demo again would undo editors' changes to "
        "demo records. `manage.py loaddata demo` loads it regardless. `make run` runs this."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if not archive_is_empty():
            self.stdout.write(
                "The archive already holds data: the demo data is not loaded again, so no "
                "edit is undone (`manage.py loaddata demo` would load it regardless)."
            )
            return
        call_command("loaddata", "demo", verbosity=options["verbosity"], stdout=self.stdout)
