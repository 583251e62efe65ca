"""Pure helpers of the ledger and accounts: account numbers with a check character, entry hashes, valuation.

No database access here, so the single and the bulk paths share exactly the same arithmetic.
"""

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from decimal import ROUND_FLOOR, Decimal
from json.encoder import encode_basestring as _json_str  # the C encoder, ensure_ascii=False

ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ALNUM_VALUE = {ch: i for i, ch in enumerate(ALNUM)}
ACCOUNT_PREFIX = "KF"
# Random part: digits and capitals without the look-alikes I and O.
_RANDOM_ALPHABET = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ"
_RANDOM_SPACE = len(_RANDOM_ALPHABET) ** 10


def iso7064_mod37_36(body: str) -> str:
    """ISO/IEC 7064 MOD 37,36 (hybrid) check character over 0-9A-Z: catches every single substitution
    and nearly every adjacent transposition (> 99 %)."""
    m = 36
    p = m
    for ch in body.upper():
        p = (p + _ALNUM_VALUE[ch]) % m
        if p == 0:
            p = m
        p = (p * 2) % (m + 1)
    return ALNUM[(m + 1 - p) % m]


def account_number_generate() -> str:
    """``KF`` + 10 random characters (≈ 51 bits, from a CSPRNG) + one check character."""
    n = secrets.randbelow(_RANDOM_SPACE)  # one CSPRNG draw, uniform over the 34^10 bodies
    chars = []
    for _ in range(10):
        n, r = divmod(n, 34)
        chars.append(_RANDOM_ALPHABET[r])
    body = ACCOUNT_PREFIX + "".join(chars)
    return body + iso7064_mod37_36(body)


def account_number_is_valid(number: str) -> bool:
    number = (number or "").strip().upper()
    if len(number) != 13 or not number.startswith(ACCOUNT_PREFIX) or any(c not in ALNUM for c in number):
        return False
    return iso7064_mod37_36(number[:-1]) == number[-1]


def _ts(value: datetime.datetime) -> str:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_timestamp(value: datetime.datetime) -> str:
    """The canonical form of an entry's time (UTC, microseconds), as hashed."""
    return _ts(value)


def entry_hash(
    *, account_number: str, seq: int, kind: str, outcome_id: int | None, application_id: int | None,
    credits: Decimal, memo: str, created_at: datetime.datetime, prev_hash: str,
) -> str:
    """SHA-256 over the entry's canonical content (UTF-8 JSON array, fixed order) followed by the previous hash."""
    return entry_hash_canonical(
        account_number=account_number, seq=seq, kind=kind, outcome_id=outcome_id, application_id=application_id,
        credits_text=format(Decimal(credits).quantize(Decimal("0.1")), "f"), memo=memo,
        timestamp=_ts(created_at), prev_hash=prev_hash)


def entry_hash_canonical(
    *, account_number: str, seq: int, kind: str, outcome_id: int | None, application_id: int | None,
    credits_text: str, memo: str, timestamp: str, prev_hash: str,
) -> str:
    """``entry_hash`` with credits and time already in canonical text (the bulk path formats them once).

    The canonical content is exactly ``json.dumps([...], ensure_ascii=False, separators=(",", ":"))`` of
    [account number, seq, kind, outcome id, application id, credits, memo, timestamp], written out with the json
    module's own string encoder (byte-identical, about five times faster than building and dumping a list).
    """
    canonical = "[%s,%d,%s,%s,%s,%s,%s,%s]" % (  # noqa: UP031
        _json_str(account_number), seq, _json_str(kind), "null" if outcome_id is None else int(outcome_id),
        "null" if application_id is None else int(application_id), _json_str(credits_text), _json_str(memo),
        _json_str(timestamp))
    return hashlib.sha256((canonical + "|" + (prev_hash or "")).encode()).hexdigest()


# --- checkpoints: a Merkle tree over the chain heads ----------------------------------------------------


def merkle_leaf_data(*, account_number: str, seq: int, head_hash: str) -> bytes:
    """One chain head as a leaf of the checkpoint's tree: ``account:seq:hash`` in UTF-8."""
    return f"{account_number}:{seq}:{head_hash}".encode()


def merkle_root(leaves: Iterable[bytes]) -> tuple[str, int]:
    """(hex root, leaf count) of the RFC 6962 Merkle tree (SHA-256, 0x00 leaf and 0x01 node prefixes) over the
    leaves in the order given; the empty tree's root is SHA-256 of nothing.

    Streams: only the perfect subtrees still open are kept (log2 n digests), whatever the number of leaves.
    """
    stack: list[tuple[int, bytes]] = []
    count = 0
    for data in leaves:
        count += 1
        node, height = hashlib.sha256(b"\x00" + data).digest(), 0
        while stack and stack[-1][0] == height:
            node = hashlib.sha256(b"\x01" + stack.pop()[1] + node).digest()
            height += 1
        stack.append((height, node))
    if not stack:
        return hashlib.sha256(b"").hexdigest(), 0
    node = stack.pop()[1]
    while stack:  # RFC 6962 splits at the largest power of two: fold the open subtrees from the right
        node = hashlib.sha256(b"\x01" + stack.pop()[1] + node).digest()
    return node.hex(), count


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
