"""Demo: the demo learner's real-name binding, confirmed by the demo bureau admin (as at the bureau's desk).

Runs after the accounts demo loader (INSTALLED_APPS order). Idempotent: a login already bound is left alone.
Demo residents with a mobile recorded by their school, for trying the code path, come with the records demo
(credits.records.demo_loader).
"""

from bianxue.accounts.models import User

from .models import Learner
from .services import binding_request_confirm, binding_request_start

# Fictitious resident ID number (valid GB 11643 check character) and name of the demo learner.
DEMO_RESIDENT_ID = {"learner@demo.bianxue.cn": ("410202195203140023", "王秀兰")}
DEMO_BUREAU = "bureau@demo.bianxue.cn"


def load(*, stdout) -> None:
    bureau = User.objects.filter(email=DEMO_BUREAU).first()
    for email, (number, name) in DEMO_RESIDENT_ID.items():
        user = User.objects.filter(email=email).first()
        if user is None or bureau is None or Learner.objects.filter(user=user, is_resident_id=True).exists():
            continue
        claim = binding_request_start(user=user, identifier=number, name=name)
        binding_request_confirm(actor=bureau, claim_id=claim.pk, reason="演示数据 demo data")
        stdout.write(f"  real-name binding: {email} bound to {claim.id_masked} (confirmed by {DEMO_BUREAU})")
