from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Sign-in protection"

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from audit.registry import audit_register

        audit_register(get_user_model(), secret=("password",))
        # Enrolment and removal of a second factor; secrets and throttling counters are never stored.
        noise = ("throttling_failure_timestamp", "throttling_failure_count", "last_t", "last_used_at")
        audit_register(TOTPDevice, exclude=noise, secret=("key",))
        audit_register(StaticDevice, exclude=noise)
