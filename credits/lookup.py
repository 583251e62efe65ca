"""Credit officers look up a learner's account by resident ID number or mobile number: every lookup audited.

A write (the audit entry) around reads, outside ``services`` because it calls the selectors (which the services
package never imports)."""

from bianxue.accounts.selectors import user_is_bureau_admin
from bianxue.accounts.services import audit_record
from django.db import transaction

from . import selectors


@transaction.atomic
def account_lookup(*, actor, query: str) -> dict:
    """Look a learner up for a credit officer (``selectors.officer_lookup_learners``) and audit the lookup.

    The audit entry keeps how the officer searched and the number masked (never the raw ID number or mobile),
    and which learners were shown. Returns the lookup with, per learner found, what the officer's institutions
    hold of the learner's account (``selectors.officer_account_view``)."""
    found = selectors.officer_lookup_learners(user=actor, query=query)
    institution_ids = found["institution_ids"]
    audit_record(actor=actor, action="credits.account.lookup",
                 institution_id=None if user_is_bureau_admin(user=actor) else institution_ids[0],
                 data={"by": found["by"], "masked": found["masked"],
                       "learners": [learner.pk for learner in found["learners"]],
                       "institutions": institution_ids[:20]})
    found["accounts"] = [selectors.officer_account_view(learner=learner, institution_ids=institution_ids)
                         for learner in found["learners"]]
    return found
