"""``{% load people %}``: ``{{ learner|learner_name }}``, the name staff see (never a phone number)."""

from django import template

from ..selectors import learner_display_name

register = template.Library()


@register.filter
def learner_name(learner) -> str:
    return learner_display_name(learner)
