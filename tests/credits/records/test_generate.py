"""credits/records/generate.py: the generated records (the demo's 4,000) carry programme names a person can read:
never a category code ("smart_tech 课程") or a bare certificate code ("1+X X-LNZH")."""

import csv

from bianxue.vocab import Category

from credits.records.generate import PROGRAMME_NAMES, generate_submission


def test_generated_programme_names_are_words_not_codes(tmp_path):
    generate_submission(tmp_path / "s", records=400, seed=4102, certificates=["X-LNZH", "X-WEB"],
                        certificate_names={"X-LNZH": "老年照护", "X-WEB": "Web前端开发"})
    with open(tmp_path / "s" / "records.csv", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = {row["programme_name"] for row in rows}
    assert not [n for n in names if any(code in n for code in Category.values) or "X-" in n]
    x_names = {row["programme_name"] for row in rows if row["category"] == "x_certificate"}
    assert x_names == {"老年照护职业技能等级证书培训", "老年照护职业技能等级证书考核",
                       "Web前端开发职业技能等级证书培训", "Web前端开发职业技能等级证书考核"}
    other = [row for row in rows if row["category"] != "x_certificate"]
    assert other and all(row["programme_name"] == PROGRAMME_NAMES[row["category"]][int(row["programme_code"][-1]) - 1]
                         for row in other)


def test_every_record_category_has_six_programme_names():
    assert {code for code in PROGRAMME_NAMES} >= set(Category.values) - {"x_certificate"}
    assert all(len(names) == 6 and len(set(names)) == 6 for names in PROGRAMME_NAMES.values())
