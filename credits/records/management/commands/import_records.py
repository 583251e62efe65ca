"""``manage.py import_records PATH [--correction] [--dry-run] [--user EMAIL]``: data exchange format v1."""

import sys

from bianxue.accounts.models import User
from django.core.management.base import BaseCommand, CommandError

from credits.records.imports import submission_import


class Command(BaseCommand):
    help = "导入数据交换格式 v1（CSV 文件夹或 .xlsx）。Import a data exchange format v1 submission (CSV folder or .xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="folder of CSV files, an .xlsx workbook or one .csv file")
        parser.add_argument("--correction", action="store_true", help="replace rows whose content changed (audited)")
        parser.add_argument("--dry-run", action="store_true", help="validate only; write nothing")
        parser.add_argument("--user", help="act as this user (email); default: the command line acts as the bureau")

    def handle(self, *args, path, correction, dry_run, user, **options):
        actor = None
        if user:
            actor = User.objects.filter(email=user).first()
            if actor is None:
                raise CommandError(f"未知用户 {user}。Unknown user {user}.")
        report = submission_import(path_or_file=path, actor=actor, correction=correction, dry_run=dry_run)
        if not report.ok:
            self.stderr.write(f"导入失败：{len(report.errors)} 个错误，未写入任何数据。"
                              f"Import refused: {len(report.errors)} errors, nothing written.")
            for issue in report.errors:
                self.stderr.write(str(issue))
            sys.exit(1)
        head = "校验通过（未写入）。Validated (nothing written)." if dry_run else "导入成功。Imported."
        self.stdout.write(head)
        for line in report.summary_lines():
            self.stdout.write("  " + line)
        if report.credit_bank:
            self.stdout.write("  credit bank: " + report.credit_bank)
        if report.review_by_bureau:
            n = report.review_by_bureau
            self.stdout.write(f"  {n} 项成果不在机构的认证资质内（如考试成绩来自未登记为该证书考核站点的机构），"
                              f"已转教育局审核，未计入学分。{n} outcomes are outside the institutions' accreditation "
                              f"(e.g. exam results from an institution that is not an exam site for the certificate):"
                              f" they wait for the bureau's review, no credits deposited.")
