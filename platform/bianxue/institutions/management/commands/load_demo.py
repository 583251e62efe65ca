"""``manage.py load_demo``: Kaifeng demo data, idempotent.

Each app contributes its part through ``demo_loader`` on its AppConfig (a dotted path to a
function taking ``stdout``), called in INSTALLED_APPS order, so the platform never imports the
apps that build on it.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load Kaifeng demo data (districts, institutions, users per role, and each app's demo content)."

    def handle(self, *args, **options):
        for config in apps.get_app_configs():
            loader = getattr(config, "demo_loader", None)
            if not loader:
                continue
            with transaction.atomic():
                import_string(loader)(stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 Demo data ready."))
