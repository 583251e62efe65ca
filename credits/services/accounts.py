"""Learner accounts: opened on first use, each with a fresh random account number."""

from bianxue.people.models import Learner
from django.db import IntegrityError, transaction

from ..ledger import account_number_generate
from ..models import LearnerAccount


def account_get_or_create(*, learner: Learner) -> LearnerAccount:
    """The learner's account, opened on first use with a fresh random account number."""
    account = LearnerAccount.objects.filter(learner=learner).first()
    if account:
        return account
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return LearnerAccount.objects.create(learner=learner, number=account_number_generate())
        except IntegrityError:
            account = LearnerAccount.objects.filter(learner=learner).first()
            if account:  # opened concurrently
                return account
    raise RuntimeError("could not allocate an account number")


def account_for_user_get_or_create(*, user) -> LearnerAccount:
    from bianxue.people.services import learner_for_user_get_or_create

    return account_get_or_create(learner=learner_for_user_get_or_create(user=user))
