import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

django_application = get_asgi_application()

# Imported once Django is set up: the call start's own route, in front of Django (calls/api/asgi.py).
from calls.api.asgi import CallStartRoute  # noqa: E402

application = CallStartRoute(django_application)  # type: ignore[arg-type]
