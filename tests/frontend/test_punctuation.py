"""The design system's punctuation tags: a label's colon, brackets and list separators in the reader's language."""

import pytest
from django.template import Context, Template
from django.utils import translation

TEMPLATE = Template(
    '{% load ui %}来源{% colon %}专栏5|开封大学{{ code|aside }}|{{ titles|enlist }}|'
    '{% lparen %}2.0{% comma %}A{% rparen %}{% semicolon %}B{% listsep %}C|{{ empty|aside }}'
)


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "来源：专栏5|开封大学（KF-U）|甲、乙|（2.0，A）；B、C|"),
    ("en", "来源: 专栏5|开封大学 (KF-U)|甲, 乙| (2.0, A); B, C|"),
])
def test_punctuation_follows_the_language(language, expected):
    with translation.override(language):
        rendered = TEMPLATE.render(Context({"code": "KF-U", "titles": ["甲", "乙"], "empty": ""}))
    assert rendered == expected


def test_bracketed_values_are_escaped():
    with translation.override("en"):
        assert Template("{% load ui %}{{ v|aside }}").render(Context({"v": "<b>"})) == " (&lt;b&gt;)"
