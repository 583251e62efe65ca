"""Catalog set-up: the catalog sections under the site's home page, the editor groups and their page
and document permissions, and the moderation workflow (bureau administrators approve publication)."""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Page,
    Site,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from ..models import CATALOG_CATEGORIES, SECTION_TITLES, CourseIndexPage

STAFF_GROUP = "机构工作人员 Institution staff"
BUREAU_GROUP = "教育局管理员 Bureau administrators"
WORKFLOW_NAME = "课程发布审核 Course publication review"
TASK_NAME = "教育局审核 Bureau approval"


@transaction.atomic
def catalog_setup() -> dict:
    """Idempotent: the catalog sections under the home page, the editor groups' page permissions
    and the moderation workflow (bureau administrators approve every publication).

    Institution staff may add and change pages in the sections (never publish); which courses they
    may touch is narrowed to their own institution's by wagtail_hooks.py and CoursePageForm.
    """
    staff, _ = Group.objects.get_or_create(name=STAFF_GROUP)
    bureau, _ = Group.objects.get_or_create(name=BUREAU_GROUP)
    _editor_groups_admin_access(staff=staff, bureau=bureau)
    sections = _catalog_sections()
    _section_page_permissions(sections=sections, staff=staff, bureau=bureau)
    workflow = _moderation_workflow(sections=sections, bureau=bureau)
    return {"sections": sections, "workflow": workflow, "staff_group": staff, "bureau_group": bureau}


def _editor_groups_admin_access(*, staff: Group, bureau: Group) -> None:
    """Both groups may enter the Wagtail admin; the bureau adds, changes and chooses documents in every
    collection (the root's). Staff do so only in their own institution's collection, through its staff group
    (bianxue.institutions.services.institution_cms_space_ensure), never on the root collection."""
    access = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    staff.permissions.add(access)
    bureau.permissions.add(access)
    root_collection = Collection.get_first_root_node()
    if root_collection is None:
        return
    GroupCollectionPermission.objects.filter(group=staff, collection=root_collection).delete()
    for codename in ("add_document", "change_document", "choose_document"):
        perm = Permission.objects.filter(content_type__app_label="wagtaildocs", codename=codename).first()
        if perm:
            GroupCollectionPermission.objects.get_or_create(group=bureau, collection=root_collection, permission=perm)


def _home_page() -> Page | None:
    """The home page: the root page of the default Wagtail site (None before the portal's migration)."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    return site.root_page if site is not None else None


def _catalog_sections() -> list[CourseIndexPage]:
    """One published section per catalog category under the home page (none without a home page)."""
    home = _home_page()
    sections = []
    if home is None:
        return sections
    for category in CATALOG_CATEGORIES:
        section = CourseIndexPage.objects.filter(category=category).first()
        if section is None:
            title, slug = SECTION_TITLES[category]
            section = CourseIndexPage(title=title, slug=slug, category=category)
            home.add_child(instance=section)
            section.save_revision().publish()
        sections.append(section)
    return sections


def _section_page_permissions(*, sections: list[CourseIndexPage], staff: Group, bureau: Group) -> None:
    """Staff add and change pages in the sections; bureau administrators also publish."""
    page_perm = {c: Permission.objects.get(content_type__app_label="wagtailcore", codename=c)
                 for c in ("add_page", "change_page", "publish_page")}
    for section in sections:
        for codename in ("add_page", "change_page"):
            GroupPagePermission.objects.get_or_create(group=staff, page=section, permission=page_perm[codename])
        for codename in ("add_page", "change_page", "publish_page"):
            GroupPagePermission.objects.get_or_create(group=bureau, page=section, permission=page_perm[codename])


def _moderation_workflow(*, sections: list[CourseIndexPage], bureau: Group) -> Workflow:
    """The workflow of one bureau approval task, attached to every section."""
    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(bureau)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task.task_ptr, defaults={"sort_order": 0})
    for section in sections:
        WorkflowPage.objects.update_or_create(page=Page.objects.get(pk=section.pk), defaults={"workflow": workflow})
    return workflow
