"""Reads of learning records that other parts of the credit bank need."""

from bianxue import bulk
from bianxue.vocab import OUTCOME_RESULTS

from credits.services import OUTCOME_SOURCE_FIELDS

from .models import LearningRecord


def record_rows_for_outcomes(*, record_ids: list[int]) -> list[tuple]:
    """The records among ``record_ids`` that can make an outcome (completed, attended, passed), as the
    ``OUTCOME_SOURCE_FIELDS`` tuples that ``credits.services.outcomes_from_records`` takes; one read, in chunks."""
    rows: list[tuple] = []
    eligible = LearningRecord.objects.filter(result__in=OUTCOME_RESULTS).values_list(*OUTCOME_SOURCE_FIELDS)
    for qs in bulk.ids_filter(eligible, "id", sorted(set(record_ids))):
        rows.extend(qs)
    return rows
