"""``manage.py search_index --rebuild`` builds the index anew (Elasticsearch: a new index, then the alias
switched, no downtime; the database: the table rebuilt in one transaction); ``--check`` compares the index's
counts with the database's and exits 1 when they differ."""

from django.core.management.base import BaseCommand, CommandError

from search.services import search_index_check, search_index_rebuild


class Command(BaseCommand):
    help = "Rebuild or check residents' search index / 重建或核对搜索索引"

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="build the index anew / 重建索引")
        parser.add_argument("--check", action="store_true", help="compare counts / 核对数量")
        parser.add_argument("--backend", choices=["database", "elasticsearch"], default=None,
                            help="default: the configured one (settings.SEARCH_BACKEND)")

    def handle(self, *args, rebuild=False, check=False, backend=None, **options):
        if not (rebuild or check):
            raise CommandError("say --rebuild or --check / 请指定 --rebuild 或 --check")
        if rebuild:
            count = search_index_rebuild(backend_name=backend)
            self.stdout.write(f"indexed {count} documents / 已索引 {count} 条")
        if check:
            differ = False
            for kind, (expected, indexed) in search_index_check(backend_name=backend).items():
                mark = "ok" if expected == indexed else "DIFFERENT / 不一致"
                differ |= expected != indexed
                self.stdout.write(f"{kind}: database {expected}, index {indexed}  {mark}")
            if differ:
                raise CommandError("index and database differ: run --rebuild / 索引与数据库不一致，请运行 --rebuild")
