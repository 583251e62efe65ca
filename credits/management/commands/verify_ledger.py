"""Check every account's hash chain and balance, the append-only guard, and the chains against a checkpoint;
print each problem; exit 1 when there is one.

Without ``--checkpoint`` the latest checkpoint stored in the database is checked; with it, every checkpoint in a
copy held outside the database (the JSON as published at /credits/checkpoints.json, or one checkpoint of it),
which is what catches a chain rewritten and rehashed by someone who also deleted the stored checkpoints.
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from credits.checkpoints import checkpoint_copies, checkpoint_public, checkpoint_verify, public_key_from_jwk
from credits.guards import guard_problems
from credits.models import LedgerCheckpoint
from credits.selectors import ledger_verify


class Command(BaseCommand):
    help = "Verify the credit ledger: hash chains, sequences, balances, guards, checkpoints. 校验学分账本。"

    def add_arguments(self, parser):
        parser.add_argument("--account", action="append", type=int, help="only these account ids")
        parser.add_argument("--checkpoint", metavar="FILE",
                            help="a checkpoint copy held outside the database (JSON as published)")
        parser.add_argument("--public-key", metavar="JWK_FILE",
                            help="verify signatures with this public key (JWK, or the published key document) "
                                 "instead of the platform's configured one")

    def handle(self, *args, account=None, checkpoint=None, public_key=None, **options):
        problems = 0

        def broken(message):
            nonlocal problems
            problems += 1
            self.stdout.write(f"BROKEN {message}")

        key = None
        if public_key:
            document = json.loads(Path(public_key).read_text())
            key = public_key_from_jwk(document.get("publicKeyJwk", document))
        for message in ledger_verify(account_ids=account):
            broken(message)
        for message in guard_problems():
            broken(message)
        if checkpoint:
            try:
                copies = checkpoint_copies(json.loads(Path(checkpoint).read_text(encoding="utf-8")))
            except (OSError, ValueError) as exc:
                raise CommandError(f"cannot read checkpoint file {checkpoint}: {exc}") from None
        else:
            latest = LedgerCheckpoint.objects.order_by("-upto_entry", "-id").first()
            copies = [checkpoint_public(latest)] if latest else []
            if latest is None:
                self.stdout.write("no checkpoint stored yet (manage.py ledger_checkpoint). 尚无账本检查点。")
        for copy in copies:
            found, payload = checkpoint_verify(copy, public_key=key)
            for message in found:
                broken(message)
            if not found:
                self.stdout.write(f"checkpoint {copy.get('id', '?')} OK: {payload['leaves']} chain(s) up to entry "
                                  f"{payload['upto_entry']}, signed {payload['created_at']}. 检查点核验通过。")
        if problems:
            self.stderr.write(f"ledger verification FAILED: {problems} problem(s). 账本校验未通过。")
            sys.exit(1)
        self.stdout.write("ledger OK: every chain and balance verified. 账本校验通过。")
