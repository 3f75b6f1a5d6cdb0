from django.apps import AppConfig


class TelephonyConfig(AppConfig):
    name = "telephony"
    verbose_name = "Phone numbers"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from audit.registry import audit_register

        # signals: a deleted restaurant's numbers are detached. tasks: registered in every process, since
        # services send them by name and an eager (brokerless or test) run only executes names it knows.
        from telephony import signals, tasks  # noqa: F401
        from telephony.models import PhoneNumber

        # Attach, move, detach and the staff line are audited; LiveKit's bookkeeping is not.
        audit_register(
            PhoneNumber,
            exclude=("status", "last_error", "last_synced_at", "livekit_trunk_id", "livekit_rule_id"),
        )
