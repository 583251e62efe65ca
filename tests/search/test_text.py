"""search.text: segmentation, pinyin, initials, homophones and query groups; search.highlight."""

from search.highlight import highlight
from search.text import index_tokens, pinyin_split, query_groups


def tokens_of(text):
    return set(index_tokens(text))


def test_titles_are_indexed_as_bigrams_words_fuzzy_pinyin_and_initials():
    tokens = tokens_of("智能手机使用入门")
    assert {"智能", "手机", "入门", "智能手机", "souji", "zinen", "sj", "znsj"} <= tokens
    assert "sj" not in tokens_of("计算机应用基础")  # 算机 is no word: its initials are not indexed
    assert {"web", "前端"} <= tokens_of("Web前端开发")


def test_homophones_share_their_pinyin():
    assert "zaohu" in tokens_of("照护") & tokens_of("照户") and "照护" not in tokens_of("照户")
    assert [g.alternatives for g in query_groups("找护")] == [(("找护",), ("zaohu",))]


def test_latin_input_is_english_pinyin_or_initials():
    assert pinyin_split("shouji") == ("shou", "ji") and pinyin_split("xian") == ("xian",)
    assert pinyin_split("web") is None
    assert [g.alternatives for g in query_groups("shouji")] == [(("souji",), ("shouji",))]
    assert [g.alternatives for g in query_groups("sj")] == [(("sj",),)]
    assert len(query_groups("znsj")) == 3  # zn, ns, sj (or the word's own initials)
    assert [g.alternatives for g in query_groups("web")] == [(("web",),)]


def test_synonyms_join_a_group_and_a_repeated_group_counts_once():
    groups = query_groups("养老", {"养老": ("照护", "护理")})
    assert len(groups) == 1 and {("照护",), ("huli",)} <= set(groups[0].alternatives)
    assert len(query_groups("手机 手机")) == 1


def test_highlight_marks_matches_through_pinyin_and_escapes():
    tokens = {t for g in query_groups("shouji") for t in g.tokens}
    assert highlight("<b>手机</b>挂号", tokens) == "&lt;b&gt;<mark>手机</mark>&lt;/b&gt;挂号"
    assert highlight("", tokens) == ""
