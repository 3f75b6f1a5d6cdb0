from django.apps import AppConfig


class OwnersConfig(AppConfig):
    name = "owners"
    verbose_name = "Your agent"
    default_auto_field = "django.db.models.BigAutoField"
