"""What residents type, and the result that must be among the first three (on every backend the suite runs on).

(query, expected title, kind, why). Titles are the demo catalog's (courses/demo_catalog*.py).
"""

CASES = [
    ("养老", "养老护理员培训", "course", "a word of the title"),
    ("护理", "养老护理员培训", "course", "a word of the title"),
    ("电工", "低压电工作业培训", "course", "a word of the title"),
    ("照护", "老年照护（初级）证书培训", "course", "a word of the title"),
    ("照户", "老年照护（初级）证书培训", "course", "homophone typo of a pinyin keyboard"),
    ("老年找护", "老年照护（初级）证书培训", "course", "homophone typo inside a phrase"),
    ("shouji", "手机挂号与网上就医", "course", "full pinyin"),
    ("zhaohu", "老年照护（初级）证书培训", "course", "full pinyin"),
    ("laonian zhaohu", "老年照护（初级）证书培训", "course", "pinyin words"),
    ("sj", "手机挂号与网上就医", "course", "initials"),
    ("znsj", "智能手机使用入门（长辈班）", "course", "initials of a longer word"),
    ("智能手机入门", "智能手机使用入门（长辈班）", "course", "a word left out of the title"),
    ("手机 入门", "智能手机使用入门（长辈班）", "course", "two words"),
    ("养老护理", "老年照护（初级）证书培训", "course", "synonym (养老 ~ 照护) in the synonyms file"),
    ("电商", "农村电商直播技能培训", "course", "a word of the title"),
    ("电子商务", "农村电商直播技能培训", "course", "synonym (电商 ~ 电子商务)"),
    ("web", "Web前端开发（初级）证书培训", "course", "English word of a title"),
    ("Web前端", "Web前端开发（初级）证书培训", "course", "mixed English and Chinese"),
    ("兰考", "焦裕禄精神与兰考发展", "course", "district name"),
    ("开封老年大学", "开封老年大学", "institution", "institution name"),
    ("太极", "太极拳（二十四式）", "course", "a word of the title"),
    ("taiji", "太极拳（二十四式）", "course", "pinyin"),
    ("汴绣", "汴绣入门", "course", "a rare word"),
]
