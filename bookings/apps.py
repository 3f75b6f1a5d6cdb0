from django.apps import AppConfig


class BookingsConfig(AppConfig):
    name = "bookings"
    verbose_name = "Bookings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.registry import audit_register
        from bookings import models, signals  # noqa: F401  (signals: snapshot invalidation)

        # The owners' booking setup and every booking's life (status, moves) land in the audit trail;
        # a diner's phone and email are recorded as "(changed)", never their values.
        for model in (models.BookingSettings, models.DurationRule, models.Table):
            audit_register(model)
        audit_register(models.Booking, secret=("phone", "email"))
