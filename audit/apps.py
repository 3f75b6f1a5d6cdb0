from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Audit trail"
    # Each app registers its own audited models in its ready() (audit.registry.audit_register).
