"""Pure helpers of the ledger and accounts: account numbers with a check character, entry hashes, valuation.

No database access here, so the single and the bulk paths share exactly the same arithmetic.
"""

import datetime
import hashlib
import json
import secrets
from decimal import ROUND_FLOOR, Decimal

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
ACCOUNT_PREFIX = "KF"
# Random part: digits and capitals without the look-alikes I and O.
_RANDOM_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"


def iso7064_mod37_36(body: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (hybrid) check character over 0-9A-Z: catches every single substitution
    and nearly every adjacent transposition (> 99 %)."""
    m = 36
    p = m
    for ch in body.upper():
        p = (p + ALNUM.index(ch)) % m
        if p == 0:
            p = m
        p = (p * 2) % (m + 1)
    return ALNUM[(m + 1 - p) % m]


def account_number_generate() -> str:
    """``KF`` + 10 random characters (≈ 51 bits, from a CSPRNG) + one check character."""
    body = ACCOUNT_PREFIX + "".join(secrets.choice(_RANDOM_ALPHABET) for _ in range(10))
    return body + iso7064_mod37_36(body)


def account_number_is_valid(number: str) -> bool:
    number = (number or "").strip().upper()
    if len(number) != 13 or not number.startswith(ACCOUNT_PREFIX) or any(c not in ALNUM for c in number):
        return False
    return iso7064_mod37_36(number[:-1]) == number[-1]


def _ts(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(
    *, account_number: str, seq: int, kind: str, outcome_id: int | None, application_id: int | None,
    credits: Decimal, memo: str, created_at: datetime.datetime, prev_hash: str,
) -> str:
    """SHA-256 over the entry's canonical content (UTF-8 JSON array, fixed order) followed by the previous hash."""
    canonical = json.dumps(
        [account_number, seq, kind, outcome_id, application_id, format(Decimal(credits).quantize(Decimal("0.1")), "f"),
         memo, _ts(created_at)],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256((canonical + "|" + (prev_hash or "")).encode()).hexdigest()


HALF = Decimal("0.5")
ZERO = Decimal("0")


def round_down_half(value: Decimal) -> Decimal:
    """Round down to a multiple of 0.5: 1.99 → 1.5, 2.5 → 2.5."""
    return ((Decimal(value) / HALF).to_integral_value(rounding=ROUND_FLOOR) * HALF).quantize(Decimal("0.1"))


def value_credits(
    *, kind: str, hours: Decimal | None = None, hours_per_credit: Decimal = Decimal("16"),
    level_credits: Decimal = ZERO, max_per_certificate: Decimal | None = None, certificate_total: Decimal = ZERO,
    year_cap: Decimal | None = None, year_total: Decimal = ZERO, override: Decimal | None = None,
) -> Decimal:
    """Credits of one outcome under one rule, after the per-certificate and per-year caps.

    ``certificate_total``/``year_total``: credits the learner already holds for the same certificate
    and in the same year. Never negative.
    """
    if override is not None:
        value = Decimal(override)
    elif kind == "hours":
        value = round_down_half(Decimal(hours or 0) / Decimal(hours_per_credit)) if hours_per_credit else ZERO
    else:
        value = Decimal(level_credits)
        if max_per_certificate is not None:
            value = min(value, Decimal(max_per_certificate) - Decimal(certificate_total))
    if year_cap is not None:
        value = min(value, Decimal(year_cap) - Decimal(year_total))
    return max(value, ZERO).quantize(Decimal("0.1"))
