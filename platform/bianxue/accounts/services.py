"""Writes about accounts, memberships and the audit log; the permission guard every app uses."""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from .models import AuditEntry, StaffMembership, User
from .selectors import user_can_act_for_institution


def institution_require_role(*, user: User, institution_id: int, roles: Iterable[str] | None = None) -> None:
    """Raise PermissionDenied unless ``user`` may act for the institution with one of ``roles``."""
    if not user_can_act_for_institution(user=user, institution_id=institution_id, roles=roles):
        raise PermissionDenied("无权操作该机构的数据。You may not act for this institution.")


def audit_record(
    *,
    actor: User | None,
    action: str,
    obj: models.Model | None = None,
    institution_id: int | None = None,
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one audit entry. Call inside the transaction of the action it records."""
    return AuditEntry.objects.create(
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        institution_id=institution_id,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        reason=reason,
        data=data or {},
    )


def membership_grant(*, actor: User, user: User, institution_id: int, role: str) -> StaffMembership:
    """Give ``user`` a staff role at an institution. Bureau admins only."""
    from .selectors import user_is_bureau_admin

    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied("只有教育局管理员可以授予机构角色。Only bureau administrators grant staff roles.")
    membership, _ = StaffMembership.objects.get_or_create(user=user, institution_id=institution_id, role=role)
    audit_record(actor=actor, action="membership.grant", obj=membership, institution_id=institution_id,
                 data={"user": user.pk, "role": role})
    return membership


def user_set_preferences(*, user: User, elder_mode: bool | None = None, text_scale: int | None = None) -> User:
    fields = []
    if elder_mode is not None:
        user.elder_mode = elder_mode
        fields.append("elder_mode")
    if text_scale is not None:
        user.text_scale = max(100, min(200, int(text_scale)))
        fields.append("text_scale")
    if fields:
        user.save(update_fields=fields)
    return user
