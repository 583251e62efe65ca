"""Credit bank writes, one concept per module. Every staff action is permission-checked and audited there.

- ``accounts``: learner accounts, opened on first use;
- ``ledger_entries``: the hash-chained ledger (deposits, reversals, conversion entries);
- ``valuation``: the rule in force and the credits an outcome is worth; new rule versions;
- ``accreditation``: what covers an institution's records on arrival (types; exam sites per certificate);
- ``routing``: who decides a queued outcome (its institution's officers, or the bureau when outside accreditation);
- ``outcomes``: the outcome state machine (review, certify, reject, revoke);
- ``four_eyes``: nobody decides on their own outcome or application, or one they entered or declared;
- ``intake`` / ``intake_bulk``: outcomes from learning records, one at a time and in bulk (imports);
- ``declarations``: outcomes declared by learners with evidence;
- ``notifications``: notifying a record's learner (through the platform core's notifications);
- ``conversion``: conversion applications and their state machine; conversion rules (their owner's);
- ``errors``: the state machines' ``TransitionError``.

Lock order (to stay deadlock-free): outcome row, then account row. The names below are re-exported so that
callers keep importing them from ``credits.services``; the modules import each other directly.
"""

from ..ledger import ZERO
from ..roles import OFFICER_ROLES
from .accounts import account_for_user_get_or_create, account_get_or_create
from .accreditation import (
    accreditation_decide,
    accreditation_require_bureau,
    accreditation_save,
    accreditation_set,
    exam_site_certificate_ids,
    exam_site_is_registered,
    exam_site_register,
    exam_site_withdraw,
    exam_sites_for_certificate,
    institution_is_accredited,
)
from .conversion import (
    APP_ALLOWED,
    LEVEL_ORDER,
    conversion_application_apply,
    conversion_application_approve,
    conversion_application_reject,
    conversion_application_start_review,
    conversion_application_submit,
    conversion_rule_matches,
    conversion_rule_require_owner,
    conversion_rule_save,
)
from .declarations import EVIDENCE_MAX_BYTES, MAGIC, declaration_submit, evidence_check
from .errors import TransitionError
from .four_eyes import (
    application_require_four_eyes,
    outcome_require_four_eyes,
    outcomes_require_four_eyes,
    user_is_party_to_outcome,
)
from .intake import TRAINING_TYPES, outcome_from_record, outcome_type_for_record
from .intake_bulk import (
    ACCOUNT_COLUMNS,
    ENTRY_COLUMNS,
    OUTCOME_COLUMNS,
    OUTCOME_SOURCE_FIELDS,
    outcomes_from_records,
)
from .ledger_entries import ledger_deposit
from .outcomes import (
    ALLOWED,
    outcome_certify,
    outcome_reject,
    outcome_revoke,
    outcome_start_review,
    outcomes_bulk_certify,
    outcomes_bulk_reject,
)
from .routing import outcome_require_reviewer, outcomes_require_reviewer
from .valuation import (
    outcome_value,
    valuation_rule_check_valid_from,
    valuation_rule_for,
    valuation_rule_require_bureau,
    valuation_rule_revise,
)

__all__ = [
    "ACCOUNT_COLUMNS",
    "ALLOWED",
    "APP_ALLOWED",
    "ENTRY_COLUMNS",
    "EVIDENCE_MAX_BYTES",
    "LEVEL_ORDER",
    "MAGIC",
    "OFFICER_ROLES",
    "OUTCOME_COLUMNS", "OUTCOME_SOURCE_FIELDS",
    "TRAINING_TYPES",
    "ZERO",
    "TransitionError",
    "account_for_user_get_or_create",
    "account_get_or_create",
    "accreditation_decide",
    "accreditation_require_bureau",
    "accreditation_save",
    "accreditation_set",
    "application_require_four_eyes",
    "conversion_application_apply",
    "conversion_application_approve",
    "conversion_application_reject",
    "conversion_application_start_review",
    "conversion_application_submit",
    "conversion_rule_matches",
    "conversion_rule_require_owner",
    "conversion_rule_save",
    "declaration_submit",
    "evidence_check",
    "exam_site_certificate_ids",
    "exam_site_is_registered",
    "exam_site_register",
    "exam_site_withdraw",
    "exam_sites_for_certificate",
    "institution_is_accredited",
    "ledger_deposit",
    "outcome_certify",
    "outcome_from_record",
    "outcome_reject",
    "outcome_require_four_eyes",
    "outcome_require_reviewer",
    "outcome_revoke",
    "outcome_start_review",
    "outcome_type_for_record",
    "outcome_value",
    "outcomes_bulk_certify",
    "outcomes_bulk_reject",
    "outcomes_from_records",
    "outcomes_require_four_eyes",
    "outcomes_require_reviewer",
    "user_is_party_to_outcome",
    "valuation_rule_check_valid_from",
    "valuation_rule_for",
    "valuation_rule_require_bureau",
    "valuation_rule_revise",
]
