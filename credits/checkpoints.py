"""Ledger checkpoints: one signed root over every account's chain head, published so that a copy is held
outside the database.

A checkpoint covers the entries with id ≤ ``upto_entry``. Its tree: per account that has such entries, the
head among them (the highest seq) as the leaf ``account number:seq:hash``; the leaves sorted by account number;
an RFC 6962 Merkle tree (``credits.ledger.merkle_root``). Only the root is published, no account number.
Signed with the platform's Ed25519 key (``CREDENTIAL_SIGNING_KEY``, the key of the Open Badges credentials,
published at /credits/keys/ed25519.json) as a compact JWS (EdDSA, ``typ: ledger-checkpoint+jwt``): the key
lives in the application's environment, never in the database, so write access to the database alone cannot
produce a checkpoint, and a verifier needs nothing but the published key.

Rewriting an entry covered by a checkpoint changes its chain's head (each hash covers the previous one):
recomputing the chain so that ``verify_ledger``'s chain checks pass still changes the root.
"""

import base64
import hashlib
import json

from django.db import connection, transaction
from django.utils import timezone

from .credentials import CredentialInvalid, b64url, issuer_id, jws_sign, jws_verify, key_id, public_jwk
from .ledger import entry_timestamp, merkle_leaf_data, merkle_root
from .models import LedgerCheckpoint, LedgerEntry

TREE = "RFC 6962 SHA-256 Merkle tree; leaves: 'account:seq:hash' of each account's head, sorted by account"
JWS_TYPE = "ledger-checkpoint+jwt"

_HEADS_SQL = {
    # DISTINCT ON walks the (account, seq) unique index once; the sort by number is over heads only
    "postgresql": """
        SELECT a.number, h.seq, h.hash FROM (
            SELECT DISTINCT ON (account_id) account_id, seq, hash FROM credits_ledgerentry
            WHERE id <= %s ORDER BY account_id, seq DESC
        ) h JOIN credits_learneraccount a ON a.id = h.account_id ORDER BY a.number""",
    "default": """
        SELECT a.number, e.seq, e.hash FROM credits_ledgerentry e JOIN credits_learneraccount a ON a.id = e.account_id
        WHERE e.id <= %s AND e.seq = (SELECT max(m.seq) FROM credits_ledgerentry m
                                      WHERE m.account_id = e.account_id AND m.id <= %s)
        ORDER BY a.number""",
}


def ledger_heads_root(*, upto_entry: int) -> tuple[str, int]:
    """(root, chains) over the heads among the entries with id ≤ ``upto_entry``, recomputed from the ledger."""
    sql = _HEADS_SQL.get(connection.vendor, _HEADS_SQL["default"])
    params = [upto_entry] if connection.vendor == "postgresql" else [upto_entry, upto_entry]

    def leaves():
        cursor = connection.chunked_cursor()  # server-side on PostgreSQL: heads are streamed, not loaded
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(10000):
                for number, seq, head in rows:
                    yield merkle_leaf_data(account_number=number, seq=seq, head_hash=head)
        finally:
            cursor.close()

    return merkle_root(leaves())


def key_thumbprint() -> str:
    """RFC 7638 thumbprint of the platform's public key: which key signed (it changes when the key rotates)."""
    jwk = public_jwk()
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"))
    return b64url(hashlib.sha256(canonical.encode()).digest())


def checkpoint_payload(*, root: str, leaves: int, upto_entry: int, created_at) -> dict:
    return {"type": "BianxueLedgerCheckpoint", "issuer": issuer_id(), "root": root, "leaves": leaves,
            "upto_entry": upto_entry, "created_at": entry_timestamp(created_at), "tree": TREE}


def checkpoint_sign(payload: dict) -> str:
    return jws_sign(payload, typ=JWS_TYPE, cty=None)


def checkpoint_public(checkpoint) -> dict:
    """A stored checkpoint as published (and as ``verify_ledger --checkpoint`` reads it back)."""
    return {"id": checkpoint.pk, "root": checkpoint.root, "leaves": checkpoint.leaves,
            "upto_entry": checkpoint.upto_entry, "created_at": entry_timestamp(checkpoint.created_at),
            "key_id": checkpoint.key_id, "jws": checkpoint.signature}


def checkpoints_document(checkpoints) -> dict:
    """The published list: every checkpoint, newest first, with the key that verifies them."""
    return {"type": "BianxueLedgerCheckpointList", "issuer": issuer_id(), "tree": TREE,
            "verification_key": key_id(), "key_id": key_thumbprint(), "public_key_jwk": public_jwk(),
            "checkpoints": [checkpoint_public(c) for c in checkpoints]}


def checkpoint_copies(document) -> list[dict]:
    """The checkpoints in a published document (the list, or one checkpoint)."""
    if isinstance(document, dict) and isinstance(document.get("checkpoints"), list):
        return document["checkpoints"]
    if isinstance(document, dict) and "jws" in document:
        return [document]
    raise ValueError("not a checkpoint or a list of checkpoints")


def public_key_from_jwk(jwk: dict) -> bytes:
    return base64.urlsafe_b64decode(jwk["x"] + "=" * (-len(jwk["x"]) % 4))


def checkpoint_verify(copy: dict, *, public_key: bytes | None = None) -> tuple[list[str], dict | None]:
    """Check one checkpoint copy against the database: the signature (the platform's key, or the one given),
    the copy's fields against what was signed, and the root recomputed from the ledger.

    Returns (problems, signed payload or None when the signature does not hold)."""
    label = f"checkpoint {copy.get('id', '?')}"
    try:
        payload = jws_verify(str(copy.get("jws", "")), public_key=public_key)
    except (CredentialInvalid, ValueError) as exc:
        return [f"{label}: signature invalid: {exc}"], None
    if payload.get("type") != "BianxueLedgerCheckpoint":
        return [f"{label}: the signed payload is not a ledger checkpoint"], None
    problems = [f"{label}: the copy's {field} ({copy[field]!r}) differs from the signed {payload[field]!r}"
                for field in ("root", "leaves", "upto_entry", "created_at") if field in copy
                and copy[field] != payload.get(field)]
    root, leaves = ledger_heads_root(upto_entry=int(payload["upto_entry"]))
    if root != payload["root"] or leaves != payload["leaves"]:
        problems.append(
            f"{label} (entries up to {payload['upto_entry']}, signed {payload['created_at']}): root mismatch: the "
            f"database gives {root} over {leaves} chain(s), the signed checkpoint {payload['root']} over "
            f"{payload['leaves']}: a chain covered by the checkpoint was rewritten, removed or added")
    return problems, payload


# --- creating a checkpoint -------------------------------------------------------------------------------

LOCK_TIMEOUT = "60s"


def ledger_settled_upto() -> int:
    """The highest entry id below which the ledger is final: no entry with a lower id can still appear.

    PostgreSQL hands out ids before the inserting transaction commits, so the highest visible id is not enough:
    ``credits_ledger_quiesce()`` (SECURITY DEFINER, see migration 0005) takes a SHARE lock on the ledger, which
    waits for every transaction inserting there to end and briefly holds new inserts back, then reads the highest
    id; the lock goes with this short transaction. SQLite has one writer at a time: the highest id is final.
    """
    if connection.vendor != "postgresql":
        return LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")
        cur.execute("SELECT credits_ledger_quiesce()")
        return cur.fetchone()[0]


def ledger_checkpoint_create(*, force: bool = False) -> tuple[LedgerCheckpoint, bool]:
    """Sign and store a checkpoint of every chain head; (checkpoint, created). Nothing new when no entry was
    added since the latest checkpoint (that one is returned), unless ``force``."""
    upto = ledger_settled_upto()
    latest = LedgerCheckpoint.objects.order_by("-upto_entry", "-id").first()
    if latest is not None and latest.upto_entry == upto and not force:
        return latest, False
    with transaction.atomic():
        root, leaves = ledger_heads_root(upto_entry=upto)
        created_at = timezone.now()
        signature = checkpoint_sign(checkpoint_payload(root=root, leaves=leaves, upto_entry=upto,
                                                       created_at=created_at))
        return LedgerCheckpoint.objects.create(root=root, leaves=leaves, upto_entry=upto, created_at=created_at,
                                               key_id=key_thumbprint(), signature=signature), True
