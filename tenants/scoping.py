"""Tenant scoping, in one place for the admin, the APIs and services. It fails closed.

Every model with a `tenant` foreign key is tenant-owned and is scoped by default: its rows and the rows it
offers as foreign-key choices are limited to the tenants a user belongs to. A model without a tenant field
is not offered to owners at all unless it is listed in `SHARED_MODELS`, so a new model (a booking's table,
a phone number) can never show another tenant's rows because someone forgot to list it.

Unscoped access is explicit: operators (superusers) pass through `is_operator`, and code that must read
across tenants says so with `unscoped()`, which is easy to grep for in review.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.core.exceptions import FieldDoesNotExist
from django.db.models import ForeignKey, ManyToManyField, Model, QuerySet
from django.http import Http404, HttpRequest

from tenants.models import Tenant
from tenants.selectors import user_owner_tenant_ids, user_tenant_ids

M = TypeVar("M", bound=Model)

# Models without a tenant that owners may still pick in a form. Empty on purpose: add one only with a reason.
SHARED_MODELS: frozenset[type[Model]] = frozenset()


class UnscopedModel(TypeError):
    """Scoping was asked of a model that has no tenant: refuse rather than return every row."""


def tenant_lookup(model: type[Model]) -> str | None:
    """How rows of `model` are filtered by tenant ids, or None when the model belongs to no tenant."""
    if model is Tenant:
        return "pk"
    try:
        field = model._meta.get_field("tenant")
    except FieldDoesNotExist:
        return None
    return "tenant_id" if field.is_relation and field.related_model is Tenant else None


def is_tenant_owned(model: type[Model]) -> bool:
    return model is not Tenant and tenant_lookup(model) is not None


def scope_to_tenants(queryset: QuerySet[M], tenant_ids: list[int]) -> QuerySet[M]:
    """Rows of `queryset` that belong to `tenant_ids`. Raises UnscopedModel for a model without a tenant."""
    lookup = tenant_lookup(queryset.model)
    if lookup is None:
        raise UnscopedModel(f"{queryset.model.__name__} has no tenant: it cannot be scoped")
    return queryset.filter(**{f"{lookup}__in": tenant_ids})


def unscoped(queryset: QuerySet[M], *, reason: str) -> QuerySet[M]:
    """Every tenant's rows, on purpose (operators' views, platform tasks). `reason` documents why."""
    return queryset


def is_operator(request: HttpRequest) -> bool:
    user = request.user
    return bool(user.is_active and user.is_staff and user.is_superuser)


def member_tenant_ids(request: HttpRequest) -> list[int]:
    # Memoised on the request: a change form asks for every field and inline.
    cached = getattr(request, "_hostline_tenant_ids", None)
    if cached is None:
        user = request.user
        cached = user_tenant_ids(user=user) if user.is_active and user.is_staff else []
        request._hostline_tenant_ids = cached  # type: ignore[attr-defined]
    return cached


def owner_tenant_ids(request: HttpRequest) -> list[int]:
    cached = getattr(request, "_hostline_owner_tenant_ids", None)
    if cached is None:
        user = request.user
        cached = user_owner_tenant_ids(user=user) if user.is_active and user.is_staff else []
        request._hostline_owner_tenant_ids = cached  # type: ignore[attr-defined]
    return cached


def _choices(related: type[Model], tenant_ids: list[int]) -> QuerySet[Any]:
    manager = related._default_manager
    if tenant_lookup(related) is not None:
        return scope_to_tenants(manager.all(), tenant_ids)
    if related in SHARED_MODELS:
        return manager.all()
    return manager.none()  # fails closed: a model nobody declared shared offers nothing


class TenantScopedMixin:
    """Row-level tenancy for ModelAdmin and inlines. Every query and permission is limited to the user's tenants."""

    # Only owners (not staff members) may add or delete rows of this model.
    owner_only_add_delete = False

    def _allowed_tenants(self, request: HttpRequest, *, for_write: bool = False) -> list[int]:
        if for_write and self.owner_only_add_delete:
            return owner_tenant_ids(request)
        return member_tenant_ids(request)

    def _obj_tenant_id(self, obj: Model) -> int | None:
        return getattr(obj, "tenant_id", None)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)  # type: ignore[misc]
        if is_operator(request):
            return qs
        return scope_to_tenants(qs, member_tenant_ids(request))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request) or bool(member_tenant_ids(request))

    def _may(self, request: HttpRequest, obj: Model | None, *, for_write: bool = False) -> bool:
        if is_operator(request):
            return True
        allowed = self._allowed_tenants(request, for_write=for_write)
        if obj is None:
            return bool(allowed)
        return self._obj_tenant_id(obj) in allowed

    def has_view_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, None, for_write=True)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj, for_write=True)

    def formfield_for_foreignkey(self, db_field: ForeignKey, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not is_operator(request) and isinstance(related, type):
            # Picking a tenant is a write on that tenant: only its owners may.
            tenants = self._allowed_tenants(request, for_write=related is Tenant)
            kwargs["queryset"] = _choices(related, tenants)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)  # type: ignore[misc]

    def formfield_for_manytomany(self, db_field: ManyToManyField, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.related_model
        if not is_operator(request) and isinstance(related, type):
            kwargs["queryset"] = _choices(related, self._allowed_tenants(request))
        return super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]

    def _get_obj_does_not_exist_redirect(self, request: HttpRequest, opts: Any, object_id: str) -> Any:
        # Django redirects to the index for a missing object; a plain 404 says no more about other tenants.
        raise Http404("No such object.")


class ParentTenantInlineMixin(TenantScopedMixin):
    """For inlines, permissions follow the parent object being edited."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return self._may(request, obj)


class OperatorOnlyMixin:
    """For platform data (tenants, memberships, keys): operators only; owners do not see it exists."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_operator(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request)


class TenantScopedAPIMixin:
    """For DRF views: every queryset is limited to the caller's tenant, and nobody else gets anything.

    The caller's tenant is the API key's (`request.auth` is the ApiKey) or, for a signed-in user, their
    memberships. Operators get no wider view through the tenant API: it speaks for one tenant at a time.
    """

    request: Any

    def caller_tenant_ids(self) -> list[int]:
        tenant_id = getattr(getattr(self.request, "auth", None), "tenant_id", None)
        if isinstance(tenant_id, int):
            return [tenant_id]
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated:
            return user_tenant_ids(user=user)
        return []

    def get_queryset(self) -> QuerySet[Any]:
        return scope_to_tenants(super().get_queryset(), self.caller_tenant_ids())  # type: ignore[misc]
