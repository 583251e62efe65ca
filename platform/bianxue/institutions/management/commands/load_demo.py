"""``manage.py load_demo``: Kaifeng demo data, idempotent.

Each app contributes its part through ``demo_loader`` on its AppConfig (a dotted path to a
function taking ``stdout``), called in INSTALLED_APPS order, so the platform never imports the
apps that build on it.
"""

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string


class Command(BaseCommand):
    help = "Load Kaifeng demo data (districts, institutions, users per role, and each app's demo content)."

    def handle(self, *args, **options):
        # Keyed on the settings module, not on DEBUG: demo accounts have published passwords and TOTP secrets.
        if settings.ENVIRONMENT == "production":
            raise CommandError(
                "演示数据有公开的密码和两步验证密钥，不能在生产环境加载。"
                "Demo data has published passwords and TOTP secrets; load_demo refuses the production settings."
            )
        for config in apps.get_app_configs():
            loader = getattr(config, "demo_loader", None)
            if not loader:
                continue
            with transaction.atomic():
                import_string(loader)(stdout=self.stdout)
        import_string("courses.demo_facts.demo_course_facts_apply")(stdout=self.stdout)  # fees/groups by rule, last
        self.stdout.write(self.style.SUCCESS("演示数据已就绪 Demo data ready."))
