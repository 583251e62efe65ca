from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    label = "courses"
    verbose_name = _("课程与学习 Courses and learning")
    demo_loader = "courses.demo.load"

    def ready(self) -> None:
        from bianxue.people.signals import learner_merged

        from credits.records import registry

        from .selectors import catalog_online_stats
        from .services import on_learner_merged

        learner_merged.connect(on_learner_merged, dispatch_uid="courses.learner_merged")
        # Indicator L8 reads the catalog through a registry, so credits never imports courses.
        registry.register_catalog_stats(catalog_online_stats)
