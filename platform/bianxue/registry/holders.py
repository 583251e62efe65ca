"""Record holders: which institutions hold records about a learner, told by the apps that keep the records.

    record_holder_register(key="records.records",
                           learners_at=lambda institution_ids: LearningRecord.objects.filter(
                               institution_id__in=institution_ids).values("learner_id"))

A provider takes institution ids and returns a query of ``learner_id`` values (a subquery, not a list, so a
caller can filter by it in one SQL statement). The people app asks who may confirm a real-name binding
(staff of an institution holding the learner's records) without importing the apps that hold them.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RecordHolder:
    key: str
    learners_at: Callable[[Iterable[int]], Any]


_holders: dict[str, RecordHolder] = {}


def record_holder_register(*, key: str, learners_at: Callable[[Iterable[int]], Any]) -> RecordHolder:
    holder = RecordHolder(key=key, learners_at=learners_at)
    _holders[key] = holder
    return holder


def record_holders() -> list[RecordHolder]:
    return sorted(_holders.values(), key=lambda h: h.key)
