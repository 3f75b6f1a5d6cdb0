from django.apps import AppConfig


class CallsConfig(AppConfig):
    name = "calls"
    verbose_name = "Calls and usage"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registered in every process: services send it by name, and an eager (brokerless or test) run
        # only executes names it knows.
        from calls import tasks  # noqa: F401
