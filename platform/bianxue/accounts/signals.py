"""Keep the Wagtail admin groups in step with roles, however a membership or flag was written
(services, the Wagtail snippet, factories, the demo loader)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import StaffMembership, User


@receiver(post_save, sender=StaffMembership, dispatch_uid="bx_membership_saved")
@receiver(post_delete, sender=StaffMembership, dispatch_uid="bx_membership_deleted")
def _membership_changed(sender, instance: StaffMembership, **kwargs) -> None:
    from .services import user_admin_groups_sync

    user = User.objects.filter(pk=instance.user_id).first()
    if user is not None:
        user_admin_groups_sync(user=user)


@receiver(post_save, sender=User, dispatch_uid="bx_user_saved")
def _user_saved(sender, instance: User, created: bool, update_fields=None, raw=False, **kwargs) -> None:
    if raw:
        return
    if created or update_fields is None or "is_bureau_admin" in update_fields:
        from .services import user_admin_groups_sync

        user_admin_groups_sync(user=instance)
