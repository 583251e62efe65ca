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

    Institution staff (any membership) → ``STAFF_GROUP`` (admin access, pages) and the staff group of each
    institution they hold a role at (documents and images of that institution's collection only, see
    ``institutions.services.institution_cms_space_ensure``); bureau admins → ``BUREAU_GROUP`` (every
    collection). The shared groups and their permissions come from migration 0002.

    Permissions are read from the groups on every request (Django caches them on the request's user object
    only), so a revoked role stops working on the user's next request, in the same session.
    """
    from django.contrib.auth.models import Group

    if not user.pk:
        return
    institution_group_ids = set(
        StaffMembership.objects.filter(user=user, institution__staff_group__isnull=False)
        .values_list("institution__staff_group_id", flat=True)
    )
    wanted: set[int | None] = set(institution_group_ids)
    shared = {g.name: g.pk for g in Group.objects.filter(name__in=[STAFF_GROUP, BUREAU_GROUP])}
    if institution_group_ids or StaffMembership.objects.filter(user=user).exists():
        wanted.add(shared.get(STAFF_GROUP))
    if user.is_bureau_admin:
        wanted.add(shared.get(BUREAU_GROUP))
    wanted.discard(None)
    managed = user.groups.filter(
        models.Q(name__in=[STAFF_GROUP, BUREAU_GROUP]) | models.Q(staff_of_institution__isnull=False)
    )
    current = set(managed.values_list("pk", flat=True))
    if wanted - current:
        user.groups.add(*(wanted - current))
    if current - wanted:
        user.groups.remove(*(current - wanted))


def user_has_verified_contact(*, user: User) -> bool:
    """Whether the account proved it owns a contact: a verified email address (allauth) or a verified mobile
    number (the adapter keeps it on the user: ``phone`` and ``phone_verified``)."""
    from allauth.account.models import EmailAddress

    if user.phone and user.phone_verified:
        return True
    return EmailAddress.objects.filter(user=user, verified=True).exists()


def user_require_verified_contact(*, user: User) -> None:
    """Roles go only to accounts with a verified email or mobile number (whoever grants them, at any door)."""
    if not user_has_verified_contact(user=user):
        raise ValidationError(
            _("只能向已验证电子邮箱或手机号的账户授予角色：请该用户先验证其电子邮箱或手机号。"),
            code="unverified_contact",
        )


@transaction.atomic
def membership_grant(*, actor: User, user: User, institution_id: int, role: str, reason: str = "") -> StaffMembership:
    """Give ``user`` a staff role at an institution. Bureau admins only; audited."""
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以授予机构角色。"))
    if role not in Role.values:
        raise ValidationError(_("未知角色。"))
    user_require_verified_contact(user=user)
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
    if value:
        user_require_verified_contact(user=user)
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
