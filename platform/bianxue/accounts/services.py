"""Writes about accounts, memberships and the audit log.

``institution_require_role`` (the permission guard every app uses) lives in :mod:`.permissions` and is
re-exported here, where callers use it.
"""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from .models import BUREAU_GROUP, STAFF_GROUP, AuditEntry, Role, StaffMembership, User
from .permissions import institution_require_role as institution_require_role  # re-exported for callers
from .permissions import user_is_bureau_admin


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


def user_admin_groups_sync(*, user: User) -> None:
    """Put the user in the Wagtail admin groups their roles call for (and out of the others).

    Institution staff (any membership) → ``STAFF_GROUP``; bureau admins → ``BUREAU_GROUP``.
    The groups themselves (and their permissions) come from migration 0002.
    """
    from django.contrib.auth.models import Group

    if not user.pk:
        return
    wanted = set()
    if StaffMembership.objects.filter(user=user).exists():
        wanted.add(STAFF_GROUP)
    if user.is_bureau_admin:
        wanted.add(BUREAU_GROUP)
    groups = {g.name: g for g in Group.objects.filter(name__in=[STAFF_GROUP, BUREAU_GROUP])}
    current = set(user.groups.filter(name__in=[STAFF_GROUP, BUREAU_GROUP]).values_list("name", flat=True))
    to_add = [groups[name] for name in wanted - current if name in groups]
    to_remove = [groups[name] for name in current - wanted if name in groups]
    if to_add:
        user.groups.add(*to_add)
    if to_remove:
        user.groups.remove(*to_remove)


@transaction.atomic
def membership_grant(*, actor: User, user: User, institution_id: int, role: str, reason: str = "") -> StaffMembership:
    """Give ``user`` a staff role at an institution. Bureau admins only; audited."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以授予机构角色。"))
    if role not in Role.values:
        raise ValidationError(_("未知角色。"))
    membership, created = StaffMembership.objects.get_or_create(user=user, institution_id=institution_id, role=role)
    user_admin_groups_sync(user=user)
    if created:
        audit_record(actor=actor, action="membership.grant", obj=membership, institution_id=institution_id,
                     reason=reason, data={"user": user.pk, "role": role})
    return membership


@transaction.atomic
def membership_revoke(*, actor: User, membership: StaffMembership, reason: str = "") -> None:
    """Take a staff role away. Bureau admins only; audited."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以撤销机构角色。"))
    user, institution_id, role, pk = membership.user, membership.institution_id, membership.role, membership.pk
    membership.delete()
    user_admin_groups_sync(user=user)
    audit_record(actor=actor, action="membership.revoke", institution_id=institution_id, reason=reason,
                 data={"user": user.pk, "role": role, "membership": pk})


@transaction.atomic
def user_set_bureau_admin(*, actor: User, user: User, value: bool, reason: str = "") -> User:
    """Make a user a bureau administrator (or not). Bureau admins only; audited."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以任命管理员。"))
    user.is_bureau_admin = value
    user.save(update_fields=["is_bureau_admin"])
    user_admin_groups_sync(user=user)
    audit_record(actor=actor, action="user.bureau_admin", obj=user, reason=reason, data={"value": value})
    return user


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
