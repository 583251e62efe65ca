"""``manage.py indicators --year Y --format json|table [--district CODE | --institution CODE]``."""

import json

from django.core.management.base import BaseCommand, CommandError

from credits.records.indicators import META_BY_CODE, indicators_compute, scope_resolve


class Command(BaseCommand):
    help = "计算规划指标。Compute the plan indicators (../shared/spec/indicators.md)."

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["json", "table"], default="table")
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--district", help="GB/T 2260 district code")
        group.add_argument("--institution", help="institution code")

    def handle(self, *args, year, format, district, institution, **options):
        try:
            scope = scope_resolve(district_code=district, institution_code=institution)
        except LookupError as exc:
            raise CommandError(str(exc))
        data = indicators_compute(year=year, scope=scope)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        label = {"city": "全市 city"}.get(scope.level, f"{scope.level} {scope.code} {scope.name}")
        self.stdout.write(f"{year} · {label}")
        self.stdout.write(f"{'code':<5}{'value':>12} {'unit':<13}{'numerator':>11}{'denominator':>12}  "
                          f"{'target':<10}{'met':<6}indicator")
        for item in data["indicators"]:
            meta = META_BY_CODE[item["code"]]
            target = f"{item['comparison']} {item['target']}" if item["target"] is not None else "—"
            met = {True: "yes 达标", False: "no 未达标", None: "—"}[item["met"]]
            fmt = lambda v: "—" if v is None else str(v)  # noqa: E731
            self.stdout.write(f"{item['code']:<5}{fmt(item['value']):>12} {item['unit']:<13}{fmt(item['numerator']):>11}"
                              f"{fmt(item['denominator']):>12}  {target:<10}{met:<10}{meta.zh} {meta.en}")
            for cat, count in (item.get("by_category") or {}).items():
                self.stdout.write(f"{'':<5}{count:>12}   · {cat}")
            for row in item.get("by_institution") or []:
                self.stdout.write(f"{'':<5}{fmt(row['value']):>12}   · {row['institution']} "
                                  f"{row['numerator']}/{row['denominator']}")
