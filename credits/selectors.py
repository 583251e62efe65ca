"""Credit bank reads. Staff reads are scoped to the institutions the acting user may act for."""

import datetime
from collections.abc import Iterator
from decimal import Decimal

from bianxue.accounts.models import AuditEntry
from bianxue.accounts.selectors import (
    institutions_for_user,
    user_can_act_for_institution,
    user_is_bureau_admin,
)
from bianxue.people.identifiers import name_mask
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from .ledger import ZERO, entry_hash
from .models import (
    Accreditation,
    AccreditationBasis,
    ApplicationStatus,
    ConversionApplication,
    ConversionItem,
    ConversionRule,
    Credential,
    LearnerAccount,
    LedgerCheckpoint,
    LedgerEntry,
    Outcome,
    OutcomeStatus,
    OutcomeType,
)
from .roles import OFFICER_ROLES
from .services.conversion import conversion_rule_matches

BALANCE_KINDS = (LedgerEntry.Kind.DEPOSIT, LedgerEntry.Kind.REVERSAL, LedgerEntry.Kind.TRANSFER)


def account_for_user(*, user) -> LearnerAccount | None:
    if not user or not user.is_authenticated:
        return None
    return LearnerAccount.objects.select_related("learner").filter(learner__user=user).first()


def account_balance(*, account: LearnerAccount) -> Decimal:
    """The balance derived from the entries (the cached column must always equal it)."""
    return (LedgerEntry.objects.filter(account=account, kind__in=BALANCE_KINDS).aggregate(s=Sum("credits"))["s"]
            or ZERO)


def balance_by_type_and_year(*, account: LearnerAccount) -> list[dict]:
    rows = (LedgerEntry.objects.filter(account=account, kind__in=BALANCE_KINDS)
            .values("outcome__type", "outcome__date__year").annotate(credits=Sum("credits"))
            .order_by("-outcome__date__year", "outcome__type"))
    return [{"type": r["outcome__type"], "type_label": OutcomeType(r["outcome__type"]).label,
             "year": r["outcome__date__year"], "credits": r["credits"]} for r in rows if r["credits"]]


def outcomes_for_account(*, account: LearnerAccount) -> QuerySet:
    return account.outcomes.select_related("institution", "certificate", "accreditation__certificate").order_by(
        "-date", "-pk")


def ledger_page(*, account: LearnerAccount, before: int | None = None, size: int = 20) -> tuple[list, int | None]:
    """Keyset pagination over (account, seq) newest first: ``before`` is the last seq shown."""
    qs = account.entries.select_related("outcome", "application").order_by("-seq")
    if before:
        qs = qs.filter(seq__lt=before)
    rows = list(qs[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return rows, (rows[-1].seq if more and rows else None)


def applications_for_account(*, account: LearnerAccount) -> QuerySet:
    return (account.applications.select_related("institution").prefetch_related("steps", "items__rule",
                                                                               "items__outcome")
            .order_by("-created_at"))


def application_for_user(*, user, application_id: int) -> ConversionApplication:
    """The learner's own application, or one of an institution the staff user acts for."""
    app = ConversionApplication.objects.select_related("institution", "account__learner").get(pk=application_id)
    if app.account.learner.user_id == user.pk:
        return app
    if user_can_act_for_institution(user=user, institution_id=app.institution_id, roles=OFFICER_ROLES):
        return app
    raise PermissionDenied(_("无权查看该申请。"))


def outcome_for_user(*, user, outcome_id: int) -> Outcome:
    """The learner's own outcome, or one in the queue of an institution the staff user acts for."""
    outcome = Outcome.objects.select_related("account__learner", "institution", "entered_by",
                                             "accreditation__certificate").get(pk=outcome_id)
    if outcome.account.learner.user_id == user.pk:
        return outcome
    if outcome.review_by_bureau:  # outside accreditation: the bureau's queue, not the entering institution's
        if user_is_bureau_admin(user=user):
            return outcome
        if user_can_act_for_institution(user=user, institution_id=outcome.institution_id, roles=OFFICER_ROLES):
            raise PermissionDenied(_("该成果不在录入机构的认证资质范围内，由教育局审核。"))
    elif user_can_act_for_institution(user=user, institution_id=outcome.institution_id, roles=OFFICER_ROLES):
        return outcome
    raise PermissionDenied(_("无权查看该成果。"))


def credential_for_user(*, user, credential_id) -> Credential:
    """An issued credential (it carries the full name): its owner, or a credit officer of the issuing
    institution (bureau administrators too). Raises Credential.DoesNotExist or PermissionDenied."""
    credential = Credential.objects.select_related("outcome__account__learner").get(pk=credential_id)
    outcome = credential.outcome
    if user.is_authenticated and outcome.account.learner.user_id == user.pk:
        return credential
    if user.is_authenticated and user_can_act_for_institution(user=user, institution_id=outcome.institution_id,
                                                              roles=OFFICER_ROLES):
        return credential
    raise PermissionDenied(_("无权下载该数字徽章。"))


def credential_public_facts(*, credential_id) -> dict:
    """What anyone holding a credential's id may see: masked name, account, achievement, whether it holds.
    Raises Credential.DoesNotExist."""
    credential = Credential.objects.select_related(
        "outcome__account__learner", "outcome__institution").get(pk=credential_id)
    outcome = credential.outcome
    return {"id": credential.pk, "masked_name": name_mask(outcome.account.learner.name),
            "account": outcome.account.number, "title": outcome.title, "type": outcome.get_type_display(),
            "institution": outcome.institution.name, "credits": outcome.credits, "date": outcome.date,
            "issued_at": credential.issued_at, "revoked": outcome.status == OutcomeStatus.REVOKED,
            "reason": outcome.reason if outcome.status == OutcomeStatus.REVOKED else ""}


def notifications_for_user(*, user, limit: int = 10) -> list:
    """The user's latest notifications (kept by the platform core since the bell shows every app's)."""
    from bianxue.notifications.selectors import notifications_for_user as latest

    return latest(user=user, limit=limit)


def conversion_suggestions(*, account: LearnerAccount, institution_id: int | None = None) -> list[dict]:
    """Which of the learner's certified outcomes match which active conversion rules (not yet used)."""
    used = ConversionItem.objects.filter(active=True, outcome=OuterRef("pk"))
    outcomes = list(account.outcomes.filter(status=OutcomeStatus.CERTIFIED).exclude(Exists(used))
                    .select_related("certificate").order_by("-date"))
    if not outcomes:
        return []
    rules = ConversionRule.objects.filter(is_active=True, outcome_type__in={o.type for o in outcomes})
    if institution_id:
        rules = rules.filter(institution_id=institution_id)
    rules = list(rules.select_related("institution"))
    return [{"outcome": o, "rule": r} for o in outcomes for r in rules if conversion_rule_matches(rule=r, outcome=o)]


# --- staff ----------------------------------------------------------------------------------------------


def _queue_scope(qs: QuerySet, *, user, institution_id: int | None) -> QuerySet:
    """A review queue's rows at the institutions the user is a credit officer of (never another's); at one
    of them when ``institution_id`` is given (PermissionDenied when the user may not act for it)."""
    qs = qs.filter(institution__in=institutions_for_user(user=user, roles=OFFICER_ROLES))
    if institution_id:
        if not user_can_act_for_institution(user=user, institution_id=institution_id, roles=OFFICER_ROLES):
            raise PermissionDenied(_("无权查看该机构的审核队列。"))
        qs = qs.filter(institution_id=institution_id)
    return qs


def review_queue_outcomes(*, user, institution_id: int | None = None, status: str | None = None,
                          outcome_type: str | None = None, bureau_only: bool = False) -> QuerySet:
    """Outcomes awaiting review at the institutions the user is a credit officer of (never another's).

    Outcomes outside the entering institution's accreditation are the bureau's: bureau administrators see them
    (``bureau_only``: only them), the institution's officers do not."""
    qs = _queue_scope(Outcome.objects.all(), user=user, institution_id=institution_id)
    if not user_is_bureau_admin(user=user):
        qs = qs.exclude(accreditation_basis=AccreditationBasis.OUTSIDE)
    elif bureau_only:
        qs = qs.filter(accreditation_basis=AccreditationBasis.OUTSIDE)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[OutcomeStatus.SUBMITTED, OutcomeStatus.UNDER_REVIEW])
    if outcome_type:
        qs = qs.filter(type=outcome_type)
    return qs.select_related("account__learner__user", "institution", "certificate").order_by("created_at", "pk")


def review_queue_applications(*, user, institution_id: int | None = None, status: str | None = None) -> QuerySet:
    """Conversion applications awaiting a decision or to be applied, scoped like ``review_queue_outcomes``."""
    qs = _queue_scope(ConversionApplication.objects.all(), user=user, institution_id=institution_id)
    if status:
        qs = qs.filter(status=status)
    else:
        qs = qs.filter(status__in=[ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW,
                                   ApplicationStatus.APPROVED])
    return (qs.select_related("account__learner__user", "institution").prefetch_related("items__rule", "items__outcome")
            .order_by("created_at", "pk"))


def audit_trail(*, user, institution_id: int | None = None) -> QuerySet:
    """Audited credit-bank actions at the user's institutions (every institution for a bureau admin)."""
    allowed = institutions_for_user(user=user, roles=OFFICER_ROLES)
    qs = AuditEntry.objects.filter(action__startswith="credits.").filter(
        Q(institution__in=allowed) | (Q(institution=None) if user.is_bureau_admin or user.is_superuser else Q(pk=None)))
    if institution_id:
        qs = qs.filter(institution_id=institution_id)
    return qs.select_related("actor", "institution").order_by("-created_at", "-id")


def outcomes_for_bureau_count(*, record_ids: list[int]) -> int:
    """How many live outcomes of these records wait in the bureau's queue (outside accreditation)."""
    from bianxue import bulk

    total = 0
    live = Outcome.objects.exclude(status=OutcomeStatus.REVOKED).filter(accreditation_basis=AccreditationBasis.OUTSIDE)
    for qs in bulk.ids_filter(live, "record_id", sorted(set(record_ids))):
        total += qs.count()
    return total


def accreditations_for_user(*, user) -> QuerySet:
    """Accreditation rows and exam sites: every one for the bureau, those of the officer's institutions else."""
    qs = Accreditation.objects.select_related("institution", "certificate")
    if not user_is_bureau_admin(user=user):
        qs = qs.filter(institution__in=institutions_for_user(user=user, roles=OFFICER_ROLES))
    return qs.order_by("institution__code", "outcome_type", "certificate__code")


def conversion_rules_for_user(*, user) -> QuerySet:
    return (ConversionRule.objects.filter(institution__in=institutions_for_user(user=user, roles=OFFICER_ROLES))
            .select_related("institution", "certificate"))


# --- integrity ------------------------------------------------------------------------------------------


def ledger_verify(*, account_ids: list[int] | None = None) -> Iterator[str]:
    """Yield one message per broken link, wrong hash, gap, or balance that differs from its entries."""
    accounts = LearnerAccount.objects.order_by("pk")
    if account_ids:
        accounts = accounts.filter(pk__in=account_ids)
    last_pk = 0
    while True:
        chunk = list(accounts.filter(pk__gt=last_pk)[:1000])
        if not chunk:
            return
        last_pk = chunk[-1].pk
        by_id = {a.pk: a for a in chunk}
        state = {a.pk: {"seq": 0, "hash": "", "balance": ZERO} for a in chunk}
        entries = (LedgerEntry.objects.filter(account_id__in=by_id).order_by("account_id", "seq")
                   .values_list("account_id", "seq", "kind", "outcome_id", "application_id", "credits", "memo",
                                "created_at", "prev_hash", "hash", "pk"))
        for acc_id, seq, kind, outcome_id, app_id, credits, memo, created_at, prev_hash, digest, pk in entries.iterator(
                chunk_size=5000):
            account, st = by_id[acc_id], state[acc_id]
            where = f"{account.number}#{seq} (entry {pk})"
            if seq != st["seq"] + 1:
                yield f"{where}: sequence gap, expected #{st['seq'] + 1}"
            if prev_hash != st["hash"]:
                yield f"{where}: broken link, prev_hash does not match the previous entry's hash"
            expected = entry_hash(account_number=account.number, seq=seq, kind=kind, outcome_id=outcome_id,
                                  application_id=app_id, credits=credits, memo=memo, created_at=created_at,
                                  prev_hash=prev_hash)
            if expected != digest:
                yield f"{where}: hash mismatch, the entry's content was changed"
            st["seq"], st["hash"] = seq, digest
            if kind in BALANCE_KINDS:
                st["balance"] += credits
        for account in chunk:
            st = state[account.pk]
            if account.balance != st["balance"]:
                yield f"{account.number}: balance {account.balance} differs from the sum of its entries {st['balance']}"
            if account.last_seq != st["seq"] or account.last_hash != st["hash"]:
                yield f"{account.number}: chain head (#{account.last_seq}) differs from the last entry (#{st['seq']})"


def ledger_checkpoints() -> QuerySet:
    """Every signed checkpoint, newest first (public: roots only, no account number)."""
    return LedgerCheckpoint.objects.order_by("-upto_entry", "-id")


# --- indicators and summaries for other apps ------------------------------------------------------------


def _year_bounds(year: int) -> tuple[datetime.datetime, datetime.datetime]:
    tz = timezone.get_default_timezone()
    return (datetime.datetime(year, 1, 1, tzinfo=tz), datetime.datetime(year + 1, 1, 1, tzinfo=tz))


def credit_indicator_counts(*, year: int, district_code: str | None = None, institution_id: int | None = None) -> dict:
    """Credit-bank indicators of a year (set-based queries only).

    C1: accounts holding ≥ 1 certified outcome at Y-12-31 (certified by then and not reversed by then);
    C2: credits deposited in Y minus credits reversed in Y; C3_numerator: learners with ≥ 1 conversion
    application approved (or applied) in Y; C3_denominator: C1.
    """
    start, end = _year_bounds(year)
    reversed_by_end = LedgerEntry.objects.filter(outcome=OuterRef("pk"), kind=LedgerEntry.Kind.REVERSAL,
                                                 created_at__lt=end)
    outcomes = Outcome.objects.filter(certified_at__lt=end).exclude(Exists(reversed_by_end))
    entries = LedgerEntry.objects.filter(kind__in=BALANCE_KINDS, created_at__gte=start, created_at__lt=end)
    apps = ConversionApplication.objects.filter(
        status__in=[ApplicationStatus.APPROVED, ApplicationStatus.APPLIED], decided_at__gte=start, decided_at__lt=end)
    if district_code:
        outcomes = outcomes.filter(account__learner__district_code=district_code)
        entries = entries.filter(account__learner__district_code=district_code)
        apps = apps.filter(account__learner__district_code=district_code)
    if institution_id:
        outcomes = outcomes.filter(institution_id=institution_id)
        entries = entries.filter(outcome__institution_id=institution_id)
        apps = apps.filter(institution_id=institution_id)
    c1 = outcomes.aggregate(n=Count("account_id", distinct=True))["n"]
    c2 = entries.aggregate(s=Sum("credits"))["s"] or ZERO
    c3 = apps.aggregate(n=Count("account_id", distinct=True))["n"]
    return {"C1": c1, "C2": Decimal(c2).quantize(Decimal("0.1")), "C3_numerator": c3, "C3_denominator": c1}


def account_summary_for_user(*, user) -> dict | None:
    """A small summary for other pages (我的学习): account number, balance, outcome counts. None without account."""
    account = account_for_user(user=user)
    if account is None:
        return None
    counts = dict(account.outcomes.values_list("status").annotate(n=Count("pk")).values_list("status", "n"))
    return {
        "number": account.number,
        "balance": account.balance,
        "certified": counts.get(OutcomeStatus.CERTIFIED, 0),
        "pending": counts.get(OutcomeStatus.SUBMITTED, 0) + counts.get(OutcomeStatus.UNDER_REVIEW, 0),
        "url": "/credits/",
    }


# --- account lookup by credit officers -----------------------------------------------------------------


def _lookup_learners_in_scope(*, learners: QuerySet, institution_ids: list[int]) -> list:
    """Of ``learners``, those with records (or a roster entry), outcomes or applications at ``institution_ids``."""
    from bianxue.registry import record_holders

    held = Q(credit_account__outcomes__institution_id__in=institution_ids) | Q(
        credit_account__applications__institution_id__in=institution_ids)
    for holder in record_holders():
        held |= Q(pk__in=holder.learners_at(institution_ids))
    return list(learners.filter(held).select_related("user").distinct().order_by("pk")[:5])


def officer_lookup_learners(*, user, query: str) -> dict:
    """The learners a credit officer may look up by resident ID number (or another learner identifier) or by
    mobile number: only those with records, outcomes or applications at the officer's institutions.

    Returns {"by": "id" | "phone", "masked": the number masked, "learners": [...], "institution_ids": [...]}.
    An unknown number and one of a learner the officer's institutions hold nothing about give the same
    answer (no learners). The raw number is never returned."""
    from bianxue.people.identifiers import (
        identifier_hash,
        identifier_mask,
        normalize_identifier,
        phone_hash,
        phone_mask,
        phone_normalize,
    )
    from bianxue.people.models import Learner, LearnerPhone

    institution_ids = sorted(institutions_for_user(user=user, roles=OFFICER_ROLES).values_list("pk", flat=True))
    if not institution_ids:
        raise PermissionDenied(_("仅限学分认定员。"))
    phone = phone_normalize(query)
    if phone:
        learners = Learner.objects.filter(
            Q(pk__in=LearnerPhone.objects.filter(phone_hash=phone_hash(phone), institution_id__in=institution_ids)
              .values("learner_id"))
            | Q(user__phone__in=[phone, "+86" + phone]))
        by, masked = "phone", phone_mask(phone)
    else:
        identifier = normalize_identifier(query)
        learners = Learner.objects.filter(id_hash=identifier_hash(identifier)) if identifier else Learner.objects.none()
        by, masked = "id", identifier_mask(identifier) if identifier else ""
    found = _lookup_learners_in_scope(learners=learners, institution_ids=institution_ids) if masked else []
    return {"by": by, "masked": masked, "learners": found, "institution_ids": institution_ids}


def officer_account_view(*, learner, institution_ids: list[int]) -> dict:
    """What an officer sees of a learner's account at their institutions: the credits their institutions'
    outcomes hold on the ledger (by type), those outcomes, the conversion applications made to them."""
    account = LearnerAccount.objects.filter(learner=learner).first()
    if account is None:
        return {"learner": learner, "account": None, "balance": ZERO, "by_type": [], "outcomes": [],
                "applications": []}
    by_type = (LedgerEntry.objects.filter(account=account, kind__in=BALANCE_KINDS,
                                          outcome__institution_id__in=institution_ids)
               .values("outcome__type").annotate(credits=Sum("credits")).order_by("outcome__type"))
    by_type = [{"type_label": OutcomeType(r["outcome__type"]).label, "credits": r["credits"]}
               for r in by_type if r["credits"]]
    outcomes = list(account.outcomes.filter(institution_id__in=institution_ids)
                    .select_related("institution").order_by("-date", "-pk")[:100])
    applications = list(account.applications.filter(institution_id__in=institution_ids)
                        .select_related("institution").order_by("-created_at", "-pk")[:50])
    return {"learner": learner, "account": account, "balance": sum((r["credits"] for r in by_type), ZERO),
            "by_type": by_type, "outcomes": outcomes, "applications": applications}
