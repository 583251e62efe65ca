"""Real-name binding (实名绑定): linking a login to the learner behind a resident ID number, with proof.

A claim (name + ID number) opens a pending :class:`BindingRequest`; nothing is linked until it is proved:

* by a one-time code sent by SMS to the mobile an institution recorded for the learner (``LearnerPhone``,
  the ``phone`` column of imports), or
* by staff of an institution holding the learner's records (``bianxue.registry.record_holders``), or the
  bureau, who checked the person's ID card (four eyes: never one's own request).

``Learner.user`` is set only then, so every selector that maps a login to its learner (and so to records,
outcomes, the credit account, transcripts) sees a binding only once it is proved. Until then the login keeps
its own internal learner (``U000000042``) for what it does on the platform itself.

The answer to a claim is the same whatever the number (unknown, another name, already bound, no mobile
recorded): "if a mobile is recorded, a code was sent; otherwise ask staff". A failed code is one message for
every reason. Attempts are rate limited per login and IP (allauth's rate limits, ``ACCOUNT_RATE_LIMITS``
``realname_claim`` / ``realname_code``) and in the database (attempts per code, codes per number and hour).
Every step is audited (``accounts.services.audit_record``). The bureau unbinds in a dispute, with a reason.
"""

import datetime
import secrets

from allauth.core import ratelimit
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from bianxue.accounts.models import User
from bianxue.accounts.permissions import user_institution_ids, user_is_bureau_admin
from bianxue.accounts.services import audit_record
from bianxue.accounts.sms import sms_send

from ..identifiers import (
    birth_year_from_resident_id,
    identifier_decrypt,
    identifier_encrypt,
    identifier_hash,
    identifier_mask,
    phone_decrypt,
)
from ..models import BindingMethod, BindingRequest, BindingStatus, Learner, LearnerPhone
from ..selectors import learner_holder_institution_ids
from ..signals import learner_merged
from .learners import name_normalize, resident_id_validate

CODE_TTL = datetime.timedelta(minutes=10)
CODE_MAX_ATTEMPTS = 5
RESEND_INTERVAL = datetime.timedelta(seconds=60)
MAX_CODES_PER_REQUEST = 5
MAX_CLAIMS_WITH_CODE_PER_HOUR = 3


def binding_failed_message() -> str:
    """The one answer to every failed proof, whatever the reason (it never tells whether the ID exists)."""
    return _("验证未通过。请核对后重试，或请持有您学习记录的机构工作人员确认。")


def binding_next_step_message() -> str:
    """The one answer to every claim: the next step does not tell whether a mobile (or the ID) is on file."""
    return _("如果有机构为该身份证号登记了手机号，验证码已发送到该手机，10 分钟内有效；"
             "否则请持有您学习记录的机构工作人员确认。")


def _failed() -> ValidationError:
    return ValidationError(binding_failed_message(), code="binding_failed")


def _rate_limit(request, action: str) -> None:
    """allauth's rate limits (per IP and per login) for a request from the site; other doors pass None."""
    if request is not None and not ratelimit.consume(request, action=action, user=request.user):
        raise ValidationError(_("尝试次数过多，请稍后再试。"), code="rate_limited")


def _already_linked_error() -> ValidationError:
    return ValidationError(_("您的账户已绑定另一个身份证号。"), code="already_linked")


def binding_request_start(*, user, identifier: str, name: str, request=None) -> BindingRequest:
    """Open the login's claim to a resident ID number (replacing a pending one) and send a code if possible.

    Refuses only what says nothing about the number: the rate limit, a malformed number, an empty name, a
    login already bound. Otherwise the answer is the same: :func:`binding_next_step_message`.
    """
    _rate_limit(request, "realname_claim")
    value = resident_id_validate(value=identifier)
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("请填写姓名。"), code="name_required")
    with transaction.atomic():
        # one claim at a time per login (the login's row is the lock): one pending claim, never two
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
        if Learner.objects.filter(user=user, is_resident_id=True).exists():
            raise _already_linked_error()
        BindingRequest.objects.select_for_update().filter(user=user, status=BindingStatus.PENDING).update(
            status=BindingStatus.WITHDRAWN, decided_at=timezone.now())
        claim = BindingRequest.objects.create(
            user=user, id_hash=identifier_hash(value), id_encrypted=identifier_encrypt(value),
            id_masked=identifier_mask(value), name=name[:64])
        audit_record(actor=user, action="binding.request", obj=claim, data={"id_masked": claim.id_masked})
        _code_send(claim)
    return claim


def binding_request_resend(*, user, request=None) -> BindingRequest | None:
    """Send a new code for the login's pending claim, if one can be sent (same answer either way)."""
    _rate_limit(request, "realname_claim")
    with transaction.atomic():
        claim = BindingRequest.objects.select_for_update().filter(user=user, status=BindingStatus.PENDING).first()
        if claim is not None:
            _code_send(claim)
    return claim


def binding_request_withdraw(*, user) -> None:
    with transaction.atomic():
        for claim in BindingRequest.objects.select_for_update().filter(user=user, status=BindingStatus.PENDING):
            claim.status, claim.decided_at = BindingStatus.WITHDRAWN, timezone.now()
            claim.save(update_fields=["status", "decided_at"])
            audit_record(actor=user, action="binding.withdraw", obj=claim)


def _code_hash(claim: BindingRequest, code: str) -> str:
    return salted_hmac("bianxue.people.binding", f"{claim.pk}:{code}").hexdigest()


def _learner_eligible(claim: BindingRequest) -> Learner | None:
    """The learner on file for the claimed number, if it is free (or the claimant's) and the name matches."""
    learner = Learner.objects.filter(id_hash=claim.id_hash).first()
    if learner is None or (learner.user_id and learner.user_id != claim.user_id):
        return None
    if name_normalize(learner.name) != name_normalize(claim.name):
        return None
    return learner


def _code_send(claim: BindingRequest) -> bool:
    """Send a code to the most recently recorded mobile when the claim could be proved by one. Silent: the
    caller's answer is the same whether a code went out or not."""
    now = timezone.now()
    if claim.codes_sent >= MAX_CODES_PER_REQUEST or (claim.code_sent_at and now - claim.code_sent_at < RESEND_INTERVAL):
        return False
    learner = _learner_eligible(claim)
    phone = (LearnerPhone.objects.filter(learner=learner).order_by("-updated_at", "-pk").first()
             if learner is not None else None)
    if phone is None:
        return False
    hour_ago = now - datetime.timedelta(hours=1)
    others = BindingRequest.objects.filter(id_hash=claim.id_hash, code_sent_at__gte=hour_ago).exclude(pk=claim.pk)
    if others.count() >= MAX_CLAIMS_WITH_CODE_PER_HOUR:
        return False  # a number's owner is not flooded with codes by many claimants
    code = f"{secrets.randbelow(10**6):06d}"
    claim.code_hash = _code_hash(claim, code)
    claim.code_expires_at = now + CODE_TTL
    claim.code_attempts = 0
    claim.codes_sent += 1
    claim.code_sent_at = now
    claim.save(update_fields=["code_hash", "code_expires_at", "code_attempts", "codes_sent", "code_sent_at"])
    number = phone_decrypt(phone.phone_encrypted)
    message = f"【汴学】您的实名绑定验证码是 {code}，10 分钟内有效。如非本人操作，请忽略并联系所在机构。"
    transaction.on_commit(lambda: sms_send(phone=number, message=message))
    audit_record(actor=claim.user, action="binding.code_sent", obj=claim, institution_id=phone.institution_id,
                 data={"phone_masked": phone.phone_masked})
    return True


def binding_code_verify(*, user, code: str, request=None) -> Learner:
    """Prove the login's pending claim with the code sent to the recorded mobile, and bind.

    Every failure (no claim, no code sent, wrong, expired or used-up code, name or number not on file, number
    bound meanwhile) is the same :func:`binding_failed_message`. The attempt is counted before the answer.
    """
    _rate_limit(request, "realname_code")
    code = (code or "").strip()
    with transaction.atomic():
        claim = BindingRequest.objects.select_for_update().filter(user=user, status=BindingStatus.PENDING).first()
        usable = (claim is not None and claim.code_hash and claim.code_expires_at is not None
                  and claim.code_expires_at > timezone.now() and claim.code_attempts < CODE_MAX_ATTEMPTS)
        if usable:
            claim.code_attempts += 1
            claim.save(update_fields=["code_attempts"])
            usable = constant_time_compare(claim.code_hash, _code_hash(claim, code))
    if not usable:
        raise _failed()
    with transaction.atomic():
        claim = BindingRequest.objects.select_for_update().get(pk=claim.pk)
        learner = _learner_eligible(claim)
        if claim.status != BindingStatus.PENDING or learner is None:
            raise _failed()
        learner = _bind(claim=claim, learner=learner)
        _claim_close(claim, status=BindingStatus.VERIFIED, method=BindingMethod.PHONE, actor=user, learner=learner)
        audit_record(actor=user, action="binding.verify", obj=claim, data={"method": "phone", "learner": learner.pk})
    return learner


def _claim_close(claim: BindingRequest, *, status: str, method: str, actor, learner=None, reason: str = "") -> None:
    claim.status, claim.method, claim.learner = status, method, learner
    claim.decided_by, claim.decided_at, claim.reason = actor, timezone.now(), reason
    claim.code_hash = ""
    claim.save(update_fields=["status", "method", "learner", "decided_by", "decided_at", "reason", "code_hash"])


def _bind(*, claim: BindingRequest, learner: Learner | None) -> Learner:
    """Link the claimant's login to the learner on file (their internal learner merged into it), or re-key their
    internal learner to the number when none is on file (nothing is lost either way)."""
    user = claim.user
    current = Learner.objects.select_for_update().filter(user=user).first()
    if current is not None and current.is_resident_id:
        if current.id_hash == claim.id_hash:
            return current
        raise _already_linked_error()
    if learner is not None:
        learner = Learner.objects.select_for_update().get(pk=learner.pk)
        if learner.user_id and learner.user_id != user.pk:
            raise ValidationError(_("该身份证号已绑定其他账户；如有争议，请由教育局先解除绑定。"), code="id_taken")
        if current is not None:
            current.user = None
            current.save(update_fields=["user"])
            learner_merged.send(sender=Learner, source=current, target=learner)
        learner.user = user
        learner.save(update_fields=["user"])
        return learner
    value = identifier_decrypt(claim.id_encrypted)
    fields = {"id_hash": claim.id_hash, "id_encrypted": identifier_encrypt(value), "id_masked": claim.id_masked,
              "is_resident_id": True, "name": claim.name, "birth_year": birth_year_from_resident_id(value)}
    if current is None:
        return Learner.objects.create(user=user, **fields)
    for key, val in fields.items():
        setattr(current, key, val)
    current.save()
    return current


def binding_request_require_decider(*, actor, claim: BindingRequest) -> int | None:
    """Who may confirm or reject a claim: the bureau, or staff of an institution holding the learner's records;
    never the claimant. Returns the institution acted for (None for the bureau)."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    if claim.user_id == actor.pk:
        raise PermissionDenied(_("不能处理本人的实名绑定申请。"))
    if user_is_bureau_admin(user=actor):
        return None
    learner = Learner.objects.filter(id_hash=claim.id_hash).first()
    held = learner_holder_institution_ids(learner=learner, institution_ids=user_institution_ids(user=actor))
    if not held:
        raise PermissionDenied(_("只有持有该学员学习记录的机构工作人员或教育局管理员可以处理该实名绑定申请。"))
    return min(held)


def _pending_for_decision(*, actor, claim_id: int) -> tuple[BindingRequest, int | None]:
    claim = BindingRequest.objects.select_for_update().select_related("user").filter(pk=claim_id).first()
    if claim is None:
        raise PermissionDenied(_("只有持有该学员学习记录的机构工作人员或教育局管理员可以处理该实名绑定申请。"))
    institution_id = binding_request_require_decider(actor=actor, claim=claim)
    if claim.status != BindingStatus.PENDING:
        raise ValidationError(_("该申请已处理。"), code="decided")
    return claim, institution_id


@transaction.atomic
def binding_request_confirm(*, actor, claim_id: int, reason: str = "") -> Learner:
    """Staff (or the bureau) confirm a claim after checking the person's ID card: bind, audited."""
    claim, institution_id = _pending_for_decision(actor=actor, claim_id=claim_id)
    learner = _bind(claim=claim, learner=Learner.objects.filter(id_hash=claim.id_hash).first())
    method = BindingMethod.STAFF if institution_id is not None else BindingMethod.BUREAU
    _claim_close(claim, status=BindingStatus.VERIFIED, method=method, actor=actor, learner=learner, reason=reason)
    audit_record(actor=actor, action="binding.confirm", obj=claim, institution_id=institution_id, reason=reason,
                 data={"method": method, "learner": learner.pk, "user": claim.user_id})
    return learner


@transaction.atomic
def binding_request_reject(*, actor, claim_id: int, reason: str) -> BindingRequest:
    """Staff (or the bureau) reject a claim, with a reason; audited."""
    if not (reason or "").strip():
        raise ValidationError(_("请填写原因。"), code="reason_required")
    claim, institution_id = _pending_for_decision(actor=actor, claim_id=claim_id)
    method = BindingMethod.STAFF if institution_id is not None else BindingMethod.BUREAU
    _claim_close(claim, status=BindingStatus.REJECTED, method=method, actor=actor, reason=reason.strip())
    audit_record(actor=actor, action="binding.reject", obj=claim, institution_id=institution_id, reason=reason,
                 data={"user": claim.user_id})
    return claim


@transaction.atomic
def learner_unbind(*, actor, learner_id: int, reason: str) -> Learner:
    """The bureau unbinds a login from a resident's learner (dispute resolution), with a reason; audited.

    The learner, its records and credits stay with the resident ID number; the login gets a fresh internal
    learner the next time it needs one.
    """
    if not user_is_bureau_admin(user=actor):
        raise PermissionDenied(_("只有教育局管理员可以解除实名绑定。"))
    if not (reason or "").strip():
        raise ValidationError(_("请填写原因。"), code="reason_required")
    learner = Learner.objects.select_for_update().filter(pk=learner_id, is_resident_id=True).first()
    if learner is None or learner.user_id is None:
        raise ValidationError(_("该学习者没有绑定账户。"), code="not_bound")
    user_id = learner.user_id
    learner.user = None
    learner.save(update_fields=["user"])
    BindingRequest.objects.filter(user_id=user_id, id_hash=learner.id_hash, status=BindingStatus.VERIFIED).update(
        status=BindingStatus.UNBOUND)
    audit_record(actor=actor, action="binding.unbind", obj=learner, reason=reason.strip(), data={"user": user_id})
    return learner
