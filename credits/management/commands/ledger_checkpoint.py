"""Sign and store a ledger checkpoint now (the beat task does it daily); print it as published."""

import json

from django.core.management.base import BaseCommand

from credits.checkpoints import checkpoint_public, ledger_checkpoint_create


class Command(BaseCommand):
    help = "Sign a checkpoint of every ledger chain head (published at /credits/checkpoints/). 生成账本检查点。"

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="even when no entry was added since the latest one")

    def handle(self, *args, force=False, **options):
        checkpoint, created = ledger_checkpoint_create(force=force)
        if not created:
            self.stderr.write(f"no entry since checkpoint {checkpoint.pk}; nothing new signed (--force to sign "
                              "anyway). 自上一检查点以来无新记录。")
        self.stdout.write(json.dumps(checkpoint_public(checkpoint), ensure_ascii=False, indent=2))
