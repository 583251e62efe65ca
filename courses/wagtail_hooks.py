"""Wagtail admin rules: institution staff see and touch only their own institution's courses.

Group page permissions (courses.services.catalog_setup) let staff add and change pages in the
catalog sections but not publish: publication goes through the bureau's moderation workflow.
These hooks narrow that to the pages whose provider is one of the user's institutions.
"""

from bianxue.accounts.selectors import user_institution_ids, user_is_bureau_admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from .models import CoursePage, ProgrammePage


def _provider_id(page):
    specific = page.specific_deferred
    if isinstance(specific, CoursePage | ProgrammePage):
        return specific.provider_id
    return None


def page_user_may_manage(*, user, page) -> bool:
    """Whether the user may edit/delete/move/copy this page as far as provider ownership goes."""
    if user_is_bureau_admin(user=user):
        return True
    provider_id = _provider_id(page)
    return provider_id is None or provider_id in user_institution_ids(user=user)


def _guard(request, page, *args, **kwargs):
    if not page_user_may_manage(user=request.user, page=page):
        raise PermissionDenied(gettext("只能管理本机构的课程。"))


for _hook in ("before_edit_page", "before_delete_page", "before_copy_page", "before_move_page",
              "before_unpublish_page"):
    hooks.register(_hook, _guard)


@hooks.register("before_create_page")
def _guard_create(request, parent_page, page_class):
    if not page_user_may_manage(user=request.user, page=parent_page):
        raise PermissionDenied(gettext("只能在本机构的项目下建课程。"))


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def _measure_lesson_media(request, page):
    """Measure the saved (draft or published) lessons' media and tell the editor which ones do not count."""
    from django.contrib import messages

    from .services import lesson_media_measure, lesson_media_unmeasured_titles

    page = page.specific
    if not isinstance(page, CoursePage):
        return
    lessons = page.lesson_list()
    titles = lesson_media_unmeasured_titles(rows=lesson_media_measure(course=page, lessons=lessons), lessons=lessons)
    if titles:
        messages.warning(request, gettext("以下课时的音视频无法测量时长，不计入完成：%(lessons)s。请改用站内上传的文件。")
                         % {"lessons": "、".join(titles)})


@hooks.register("construct_explorer_page_queryset")
def _explorer_own_courses(parent_page, pages, request):
    user = request.user
    if user_is_bureau_admin(user=user):
        return pages
    mine = user_institution_ids(user=user)
    return pages.exclude(pk__in=CoursePage.objects.exclude(provider_id__in=mine).values("pk")).exclude(
        pk__in=ProgrammePage.objects.exclude(provider_id__in=mine).values("pk")
    )


@hooks.register("register_admin_menu_item")
def _staff_menu_item():
    return MenuItem(_("课程数据"), reverse("courses:staff"), icon_name="table", order=220)
