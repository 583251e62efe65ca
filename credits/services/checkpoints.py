"""Ledger checkpoints written: a signed root over every chain head (see credits.checkpoints)."""

from django.db import connection, transaction
from django.utils import timezone

from ..checkpoints import checkpoint_payload, checkpoint_sign, key_thumbprint, ledger_heads_root
from ..models import LedgerCheckpoint, LedgerEntry

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
