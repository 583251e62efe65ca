"""Check every account's hash chain and balance; print each broken link; exit 1 when anything is broken."""

import sys

from django.core.management.base import BaseCommand

from credits.selectors import ledger_verify


class Command(BaseCommand):
    help = "Verify the credit ledger: hash chains, sequences and balances. 校验学分账本。"

    def add_arguments(self, parser):
        parser.add_argument("--account", action="append", type=int, help="only these account ids")

    def handle(self, *args, account=None, **options):
        problems = 0
        for message in ledger_verify(account_ids=account):
            problems += 1
            self.stdout.write(f"BROKEN {message}")
        if problems:
            self.stderr.write(f"ledger verification FAILED: {problems} problem(s). 账本校验未通过。")
            sys.exit(1)
        self.stdout.write("ledger OK: every chain and balance verified. 账本校验通过。")
