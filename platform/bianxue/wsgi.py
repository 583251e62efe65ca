"""WSGI entry point for plain HTTP."""

from django.core.wsgi import get_wsgi_application

from .entrypoints import require_settings_module

require_settings_module()

application = get_wsgi_application()
