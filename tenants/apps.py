from django.apps import AppConfig


class TenantsConfig(AppConfig):
    name = "tenants"
    verbose_name = "Restaurants"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.registry import audit_register
        from tenants import (
            models,
            signals,  # noqa: F401  (connects the snapshot invalidation receivers)
        )

        # Every save and delete of tenant data lands in the audit trail (docs/security.md).
        for model in (
            models.Tenant,
            models.Membership,
            models.AllowedOrigin,
            models.Restaurant,
            models.OpeningHours,
            models.SpecialDate,
            models.MenuCategory,
            models.MenuItem,
        ):
            audit_register(model)
        audit_register(models.ApiKey, secret=("hashed_key",))
