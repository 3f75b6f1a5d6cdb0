"""One append-only row per change to tenant-owned data and per operator action: who, when, what.

The audit app sits below the catalog (tenants imports it to record its changes), so nothing here imports
tenants: the tenant is referred to by its app label only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class AuditEntry(models.Model):
    class Source(models.TextChoices):
        ADMIN = "admin", "Admin"
        API = "api", "API"
        IMPORT = "import", "Import"
        COMMAND = "command", "Command"
        TASK = "task", "Background task"
        WEB = "web", "Web"
        SYSTEM = "system", "System"

    at = models.DateTimeField("when", default=timezone.now, db_index=True)
    # No database constraint on either key: an entry outlives the tenant or user it names, and the owner of
    # a deleted tenant has no membership left to read it by, while operators still can.
    tenant = models.ForeignKey(
        "tenants.Tenant",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    # The actor's name at the time (a user may be renamed or deleted later), or who ran a command.
    actor_label = models.CharField("who", max_length=150, blank=True)
    actor_is_operator = models.BooleanField("operator", default=False)
    source = models.CharField(max_length=16, choices=Source.choices)
    # create / update / delete for rows; a dotted verb (tenant.suspend, login.unlock...) for other actions.
    action = models.CharField(max_length=40)
    object_type = models.CharField("kind of record", max_length=100, blank=True)
    object_id = models.CharField("record id", max_length=64, blank=True)
    object_repr = models.CharField("record", max_length=200, blank=True)
    # {field: [before, after]} for rows; free-form facts for actions. Secrets are never stored.
    changes = models.JSONField(default=dict, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    remote_addr = models.GenericIPAddressField("client address", null=True, blank=True)
    request_id = models.CharField("request id", max_length=64, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = "audit entry"
        verbose_name_plural = "audit entries"
        indexes = [
            models.Index(fields=["tenant", "-at"], name="audit_tenant_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label or 'system'} {self.action} {self.object_repr}"
