from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "Calls and usage"
    default_auto_field = "django.db.models.BigAutoField"
