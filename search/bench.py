"""`make bench`: residents' search on 10,000 courses (PostgreSQL): p50/p95 latency of ``search_run`` (match, rank,
facets, page, highlight) and of ``search_suggest``, over the queries of tests/search/relevance_cases.py and a few
broad ones. The documents are generated (demo titles varied across districts and providers) and indexed inside a
transaction that is rolled back; a searchable kind of its own keeps the visibility check cheap and realistic."""

import os
import random
import statistics
import time

from bianxue.registry import SearchDocument

TITLES = ["智能手机使用入门", "老年书法", "太极拳", "豫剧唱腔欣赏与演唱", "老年人健康养生与慢病管理", "汴绣入门",
          "中国画基础", "合唱与声乐基础", "老年人防跌倒与居家安全", "手机挂号与网上就医", "移动支付与防范诈骗",
          "扫码乘车与网约车", "手机拍照与短视频制作", "家庭急救常识", "垃圾分类与绿色生活", "开封小吃制作",
          "法律明白人：身边的民法典", "家庭理财与防范非法集资", "计算机应用基础", "农村电商直播技能培训",
          "中式烹调师技能培训", "低压电工作业培训", "汽车维护与保养基础", "养老护理员培训", "老年照护证书培训",
          "Web前端开发证书培训", "设施蔬菜种植技术", "家政服务员转移就业培训", "社会体育指导员（广场舞）培训"]
LEVELS = ["（初级）", "（中级）", "（提高班）", "（周末班）", "（长辈班）", ""]
DISTRICTS = [("410202", "龙亭区"), ("410203", "顺河回族区"), ("410204", "鼓楼区"), ("410205", "禹王台区"),
             ("410212", "祥符区"), ("410221", "杞县"), ("410222", "通许县"), ("410223", "尉氏县"), ("410225", "兰考县")]
QUERIES = ["培训", "老年", "手机使用", "电工证", "开封小吃", "鼓楼区 书法"]


def _documents(n: int) -> list[SearchDocument]:
    rng = random.Random(13)
    docs = []
    for i in range(n):
        code, district = rng.choice(DISTRICTS)
        title = f"{rng.choice(TITLES)}{rng.choice(LEVELS)}"
        provider = f"{district}社区学院{i % 40}"
        docs.append(SearchDocument(
            kind="bench", pk=i + 1, title=title, url=f"/bench/{i}/", summary=f"{district}{title}，面向社区居民，免费报名。",
            body=f"{provider} {district} 第{i}期 课程介绍：{title}的基础知识与实践，结业颁发证书。",
            facets={"kind": "course", "category": rng.choice(["elderly", "community", "vocational"]),
                    "district": code, "mode": rng.choice(["online", "offline", "blended"]),
                    "provider": f"P{i % 40}", "fee": rng.choice(["free", "paid"]),
                    "audience": ["elderly"] if i % 3 else [], "target_group": ["veterans"] if i % 5 == 0 else []},
            labels={f"district:{code}": district, f"provider:P{i % 40}": provider},
            facts={"provider": provider, "district": district, "fee_yuan": "0"}, enrolable=True,
        ))
    return docs


def _percentiles(samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"p50 {statistics.median(ordered):.1f} ms, p95 {p95:.1f} ms, max {ordered[-1]:.1f} ms ({len(ordered)} runs)"


def search_10k(n: int | None = None) -> None:
    from bianxue.registry import searchable_type_register
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from search.backends import database_backend
    from search.contract import SearchQuery
    from search.selectors import search_run, search_suggest
    from tests.search.relevance_cases import CASES

    if connection.vendor != "postgresql":
        print("  skipped: the search benchmark runs on PostgreSQL (set DATABASE_URL)")
        return
    n = n or int(os.environ.get("BENCH_SEARCH_DOCS", "10000"))
    docs = _documents(n)
    by_pk = {d.pk: d for d in docs}
    searchable_type_register(kind="bench", label="bench",
                             documents=lambda ids=None: [by_pk[i] for i in (ids or by_pk) if i in by_pk])
    queries = [case[0] for case in CASES] + QUERIES
    with transaction.atomic():
        start = time.perf_counter()
        database_backend().index(documents=docs)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE bianxue_search_searchentry")
        print(f"  indexed {n} documents in {time.perf_counter() - start:.1f} s")
        search_run(query=SearchQuery(text="手机"))  # warm: jieba's dictionary, synonyms
        times, counts = [], []
        for text in queries * 3:
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                results = search_run(query=SearchQuery(text=text, district="410225"))
                times.append(1000 * (time.perf_counter() - started))
            counts.append(len(captured))
        print(f"  search_run: {_percentiles(times)}; queries per search ≤ {max(counts)}; "
              f"'培训' matched {search_run(query=SearchQuery(text='培训')).total}")
        suggest_times = []
        for prefix in ["shou", "sj", "老年", "dian", "太极", "kaifeng"] * 5:
            started = time.perf_counter()
            search_suggest(prefix=prefix)
            suggest_times.append(1000 * (time.perf_counter() - started))
        print(f"  search_suggest: {_percentiles(suggest_times)}")
        assert results is not None
        transaction.set_rollback(True)
