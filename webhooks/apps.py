from django.apps import AppConfig


class WebhooksConfig(AppConfig):
    name = "webhooks"
    verbose_name = "Webhooks"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signals turn catalog changes into outbox events; tasks are registered here so a delivery enqueued
        # by name finds its task in every process (eager in tests, direct in the web app).
        from webhooks import signals, tasks  # noqa: F401
