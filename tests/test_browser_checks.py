"""The reusable page checks of tests/browser_checks.py: what counts as a label mixing the two languages."""

import pytest

from tests.browser_checks import is_mixed_label, mixed_labels_in_html


@pytest.mark.parametrize("text", [
    "手机号（可不填） Mobile number (optional)", "课程代码 course code", "共 1210 person-times", "1 learners 已报名",
    "smart_tech 课程", "Lesson complete 已完成", "搜索 Search",
])
def test_a_label_in_both_languages_is_found(text):
    assert is_mixed_label(text)


@pytest.mark.parametrize("text", [
    "1+X 考试报名", "下载 records.csv", "联系 demo@bianxue.example.cn", "打开 https://bianxue.example.cn/learn/",
    "WPS 与 PDF 办公", "Python 编程入门", "指标 V1、L4 和 KF-ZY-01", "Lesson complete", "课程", "Excel 表格",
    "网址 /records/import/", "或一个 .xlsx 工作簿", "Web前端开发",
])
def test_codes_product_names_urls_and_one_language_are_not(text):
    assert not is_mixed_label(text)


def test_the_html_finder_reads_texts_and_labels_but_not_other_languages_or_the_elder_switch():
    html = """<html lang="zh-CN"><head><title>首页 · 汴学</title><style>.a{}</style></head><body>
      <p>欢迎 welcome</p><input type="text" placeholder="请输入 your name">
      <button lang="en">English</button><span lang="en">中文 Chinese</span>
      <button data-elder-switch>长辈版 Elder mode</button><script>var x = "课程 course";</script>
      <img alt="图片 picture"><input type="submit" value="提交 submit"></body></html>"""
    assert mixed_labels_in_html(html) == ["图片 picture", "提交 submit", "欢迎 welcome", "请输入 your name"]
