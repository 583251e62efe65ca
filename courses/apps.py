from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("课程与学习")
    demo_loader = "courses.demo.load"

    def ready(self) -> None:
        from bianxue.people.signals import learner_merged
        from bianxue.registry import notification_kind_register
        from django.db.models.signals import post_save
        from wagtail.documents import get_document_model
        from wagtail.signals import page_published

        from credits.records import registry

        from .models import CourseIndexPage, CoursePage
        from .selectors import catalog_online_stats, course_list, course_page_context

        notification_kind_register(key="courses.session", label=_("新的线下课次"))
        from .services import on_document_saved, on_learner_merged, on_page_published

        # The pages' reads, wired here so that models never import the selectors that read them.
        CourseIndexPage.courses_read = staticmethod(course_list)
        CoursePage.context_read = staticmethod(course_page_context)
        learner_merged.connect(on_learner_merged, dispatch_uid="courses.learner_merged")
        from bianxue.people.signals import merge_field_register

        for model in ("Enrolment", "Attendance", "ExamResult", "ExamRegistration"):
            merge_field_register(field=f"courses.{model}.learner",
                                 how="moved (where the target has a row for the same course/session/exam, it wins)")
        # Learning evidence: media durations are measured from the file when a course is published (any door:
        # the CMS, its workflow, the demo loader) and again when a document's file changes.
        page_published.connect(on_page_published, dispatch_uid="courses.measure_media")
        post_save.connect(on_document_saved, sender=get_document_model(), dispatch_uid="courses.measure_document")
        # Indicator L8 reads the catalog through a registry, so credits never imports courses.
        registry.register_catalog_stats(catalog_online_stats)
        self.registry_entries()

    def registry_entries(self) -> None:
        """The header's catalog link, "我的学习" and "1+X 考试报名" in the my menu, and the home page's course panels."""
        from bianxue.registry import FOOTER, HEADER, MY, home_panel_register, menu_entry_register
        from bianxue.registry.visibility import signed_in
        from django.urls import reverse_lazy

        from .selectors import course_list_for_home, enrolment_next_lesson_for_user, session_upcoming_for_home

        menu_entry_register(menu=HEADER, key="courses.catalog", label=_("课程"), url=reverse_lazy("courses:catalog"),
                            order=10)
        menu_entry_register(menu=FOOTER, key="courses.catalog", label=_("全部课程"),
                            url=reverse_lazy("courses:catalog"), order=10)
        menu_entry_register(menu=MY, key="courses.me", label=_("我的学习"), url=reverse_lazy("courses:me"),
                            order=10, visible=signed_in)
        menu_entry_register(menu=MY, key="courses.exams", label=_("1+X 考试报名"), url=reverse_lazy("courses:exams"),
                            order=15, visible=signed_in)
        home_panel_register(key="courses", provider=course_list_for_home)
        home_panel_register(key="sessions", provider=session_upcoming_for_home)
        home_panel_register(key="next_lesson", provider=enrolment_next_lesson_for_user)
