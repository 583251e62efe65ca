"""Writes about learners (``learners``), the mobiles institutions recorded for them (``phones``) and real-name
binding (``binding``). Other apps create and link learners only through these."""

from .binding import (
    CODE_MAX_ATTEMPTS,
    CODE_TTL,
    binding_code_verify,
    binding_failed_message,
    binding_next_step_message,
    binding_request_confirm,
    binding_request_reject,
    binding_request_require_decider,
    binding_request_resend,
    binding_request_start,
    binding_request_withdraw,
    learner_unbind,
)
from .learners import (
    LearnerSpec,
    identifier_validate,
    learner_for_user_get_or_create,
    learner_get_or_create,
    learners_bulk_get_or_create,
    name_normalize,
    resident_id_validate,
)
from .phones import learner_phones_bulk_record

__all__ = [
    "CODE_MAX_ATTEMPTS", "CODE_TTL", "binding_code_verify", "binding_failed_message", "binding_next_step_message",
    "binding_request_confirm", "binding_request_reject", "binding_request_require_decider", "binding_request_resend",
    "binding_request_start", "binding_request_withdraw", "learner_unbind",
    "LearnerSpec", "identifier_validate", "learner_for_user_get_or_create", "learner_get_or_create",
    "learners_bulk_get_or_create", "name_normalize", "resident_id_validate", "learner_phones_bulk_record",
]
