"""Every institution gets its CMS space (collection and staff group) however it was written: the services of
imports and the demo loader, the CMS snippet, factories."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from .models import Institution


@receiver(post_save, sender=Institution, dispatch_uid="bx_institution_saved")
def _institution_saved(sender, instance: Institution, created: bool, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    from .services import institution_cms_space_ensure

    institution_cms_space_ensure(institution=instance)
