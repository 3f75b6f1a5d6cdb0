from django.apps import AppConfig


class RestApiConfig(AppConfig):
    name = "restapi"
    verbose_name = "Tenant REST API"

    def ready(self) -> None:
        from restapi import schema  # noqa: F401  (registers the API-key security scheme with drf-spectacular)
