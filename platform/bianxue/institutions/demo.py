"""Kaifeng reference data for the demo (../shared/reference/kaifeng.md)."""

from bianxue.vocab import KAIFENG_DISTRICTS

DISTRICTS = [(code, name, kind) for code, (name, kind) in KAIFENG_DISTRICTS.items()]

# (code, name, type, district, quality_vocational, parent_code)
INSTITUTIONS = [
    ("KF-U-HENU", "河南大学", "university", "410202", False, None),
    ("KF-U-KFKC", "河南开封科技传媒学院", "university", "410205", False, None),
    ("KF-HV-YRCW", "黄河水利职业技术学院", "higher_vocational", "410205", True, None),
    ("KF-HV-KFU", "开封大学", "higher_vocational", "410202", True, None),
    ("KF-HV-KFWY", "开封文化艺术职业学院", "higher_vocational", "410212", False, None),
    ("KF-HV-LKSN", "兰考三农职业学院", "higher_vocational", "410225", False, None),
    ("KF-HV-HNDW", "河南对外经济贸易职业学院", "higher_vocational", "410212", False, None),
    ("KF-HV-HNYJ", "河南应用技术职业学院", "higher_vocational", "410212", False, None),
    ("KF-HV-KFZH", "开封智慧健康职业学院", "higher_vocational", "410221", False, None),
    ("KF-SV-WLXX", "开封市文化旅游学校", "secondary_vocational", "410203", True, None),
    ("KF-SV-TYXX", "开封市体育运动学校", "secondary_vocational", "410204", False, None),
    ("KF-OU", "开封开放大学", "open_university", "410202", False, None),
    ("KF-CU", "开封社区大学", "community_university", "410202", False, "KF-OU"),
    ("KF-EU", "开封老年大学", "elderly_university", "410204", False, None),
]

COMMUNITY_COLLEGE_NAMES = {code: f"{name}社区学院" for code, name, _ in DISTRICTS}
ELDERLY_CENTER_NAMES = {code: f"{name}老年教育中心" for code, name, _ in DISTRICTS}

CERTIFICATES = [
    ("X-LNZH", "老年照护", "北京中福长者文化科技有限公司"),
    ("X-SZZH", "失智老年人照护", "北京中民福祉教育科技有限责任公司"),
    ("X-MYHL", "母婴护理", "济南阳光大姐服务有限责任公司"),
    ("X-WEB", "Web前端开发", "工业和信息化部教育与考试中心"),
    ("X-GYJQR", "工业机器人操作与运维", "北京新奥时代科技有限责任公司"),
    ("X-ZNCS", "智能财税", "中联集团教育科技有限公司"),
    ("X-DSSJ", "电子商务数据分析", "北京博导前程信息技术股份有限公司"),
    ("X-WLGL", "物流管理", "北京中物联物流采购培训中心"),
    ("X-YJSPT", "云计算平台运维与开发", "北京新华三技术有限公司"),
    ("X-BIM", "建筑信息模型（BIM）", "廊坊市中科建筑产业化创新研究中心"),
]

# (institution code, major code, name, certificate codes)
MAJORS = [
    ("KF-HV-KFZH", "520802", "老年保健与管理", ["X-LNZH", "X-SZZH"]),
    ("KF-HV-KFZH", "520201", "护理", ["X-MYHL"]),
    ("KF-HV-KFU", "510201", "计算机应用技术", ["X-WEB"]),
    ("KF-HV-KFU", "530302", "大数据与财务管理", ["X-ZNCS"]),
    ("KF-HV-KFU", "510206", "云计算技术应用", ["X-YJSPT"]),
    ("KF-HV-YRCW", "460305", "工业机器人技术", ["X-GYJQR"]),
    ("KF-HV-YRCW", "440301", "建筑工程技术", ["X-BIM"]),
    ("KF-HV-HNDW", "530701", "电子商务", ["X-DSSJ"]),
    ("KF-HV-HNDW", "530802", "现代物流管理", ["X-WLGL"]),
    ("KF-SV-WLXX", "740201", "旅游服务与管理", []),
]
