"""Every table that points at a learner follows a merge: each foreign key to Learner is registered by the app that
owns it (moved, or kept with a reason). A new table pointing at learners fails here until its app says what a
merge does to it."""

from bianxue.people.models import Learner
from bianxue.people.signals import MERGE_FIELDS
from django.apps import apps


def test_every_foreign_key_to_the_learner_is_handled_on_merges():
    keys = {
        f"{model._meta.app_label}.{model.__name__}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is Learner
    }
    assert keys, "no foreign key to Learner found: the walk is broken"
    missing = sorted(keys - set(MERGE_FIELDS))
    assert not missing, f"learner_merged does not handle {missing}: register what a merge does to them"
    assert set(MERGE_FIELDS) <= keys, sorted(set(MERGE_FIELDS) - keys)  # no stale registrations
