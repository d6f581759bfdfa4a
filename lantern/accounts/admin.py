"""Reference data in the Django admin (/reference-data/): organisations and review types.

Nothing holding review content is registered anywhere; see core/admin.py for who may enter.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from lantern.accounts.models import Organisation
from lantern.core.admin import may_use_reference_data_admin
from lantern.core.models import AuditEvent
from lantern.core.services import audit_record
from lantern.reviews.models import ReviewType


class ReferenceDataAdmin(admin.ModelAdmin):
    """Editing rights follow the site rule, not Django's per-model permissions table.

    Deleting is left to superusers: organisations and review types are referred to by reviews,
    memberships and invitations, which protect them anyway.
    """

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_use_reference_data_admin(request.user)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_use_reference_data_admin(request.user)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return may_use_reference_data_admin(request.user)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_use_reference_data_admin(request.user)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_use_reference_data_admin(request.user) and request.user.is_superuser

    def save_model(self, request: HttpRequest, obj: models.Model, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        audit_record(
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            by=request.user,
            obj=obj,
            summary=f"{'Changed' if change else 'Added'} {obj._meta.verbose_name} “{obj}” "
            "in reference data",
        )

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        audit_record(
            action=AuditEvent.Action.DELETE,
            by=request.user,
            obj=obj,
            summary=f"Deleted {obj._meta.verbose_name} “{obj}” from reference data",
        )
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(Organisation)
class OrganisationAdmin(ReferenceDataAdmin):
    list_display = ("name", "type", "created_at")
    list_filter = ("type",)
    search_fields = ("name",)
    fields = ("name", "type")


@admin.register(ReviewType)
class ReviewTypeAdmin(ReferenceDataAdmin):
    list_display = ("name", "slug", "active")
    list_filter = ("active",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
