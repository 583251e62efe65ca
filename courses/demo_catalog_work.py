"""The demo catalog's work and certificate training (courses/demo.py loads it): vocational training, continuing
education, rural labour transfer, fitness leaders, and 1+X certificate programmes at Kaifeng's vocational schools
(../shared/reference/kaifeng.md), each with exam sittings at a school that is an exam site for the certificate
(credits.demo.EXAM_SITES). Same conventions as demo_catalog.py."""

from .demo_catalog import MORNING, course, quiz, text, video

LONG_MORNING = ("09:00", "11:30")
LONG_AFTERNOON = ("14:00", "16:30")

VOCATIONAL = [
    course("livestream-ecommerce", "农村电商直播技能培训", "KF-HV-LKSN", "vocational", "blended", "40",
           "兰考蜜瓜、红薯等特色农产品的直播带货实训。",
           "由电商企业主播和学院教师共同授课，结业后推荐到县电商产业园的合作企业。",
           audiences=("rural_labour", "migrant_workers"), venue="兰考三农职业学院 电商实训中心", capacity=50,
           weekly=((5,), *LONG_MORNING, 8),
           lessons=(video("直播间搭建", "手机、补光灯、收音设备的摆放与调试。"),
                    text("选品与定价", "蜜瓜、红薯等季节性农产品的选品：看产季、看物流、看复购。\n"
                         "定价先算清成本：进货价、包装、快递、平台服务费和售后损耗。"),
                    quiz("小测验", [("生鲜农产品直播前最先要确认的是？", [("物流时效和包装", True), ("直播间背景音乐", False)],
                                     "生鲜最怕坏在路上，先确认物流和包装。")]))),
    course("chef-kaifeng-wlxx", "中式烹调师（开封菜）技能培训", "KF-SV-WLXX", "vocational", "offline", "30",
           "鲤鱼焙面、桶子鸡、套四宝等开封名菜的刀工与火候。",
           "由豫菜名师授课，结业可参加中式烹调师职业技能等级认定。",
           audiences=("migrant_workers",), venue="开封市文化旅游学校 烹饪实训楼", capacity=30,
           weekly=((5,), *LONG_AFTERNOON, 12)),
    course("tour-guide-wlxx", "导游讲解：清明上河园与开封府", "KF-SV-WLXX", "vocational", "blended", "24",
           "开封主要景区的讲解词写作与现场讲解技巧。",
           "线上学习景区历史，线下到清明上河园、开封府实地练习讲解。",
           venue="开封市文化旅游学校 导游实训室", capacity=30, weekly=((6,), *LONG_MORNING, 4),
           lessons=(video("怎样写一篇讲解词"), text("开封府讲解要点", "开封府是北宋京都官吏行政、司法的衙署，"
                                                   "讲解可以从包拯“开封有个包青天”的故事切入。"))),
    course("electrician-yrcw", "低压电工作业培训", "KF-HV-YRCW", "vocational", "blended", "48",
           "低压电工安全技术、电气线路与照明，考取特种作业操作证前的培训。",
           "理论线上学习，实操在学院电工实训室进行；考试由应急管理部门组织。",
           audiences=("migrant_workers", "rural_labour"), venue="黄河水利职业技术学院 电工实训室", capacity=40,
           weekly=((5,), *LONG_MORNING, 8), prerequisites="年满 18 周岁，初中及以上文化程度。",
           lessons=(video("触电事故与急救"), text("安全用电十条", "不私拉乱接电线；检修前先停电、验电、挂牌；"
                                                   "湿手不碰开关；使用合格的漏电保护器。"),
                    quiz("小测验", [("检修线路前第一步是？", [("停电并验电", True), ("直接更换", False)],
                                     "停电、验电、挂牌，是电工作业的铁律。")], pass_mark=80))),
    course("auto-repair-hnyj", "汽车维护与保养基础", "KF-HV-HNYJ", "vocational", "offline", "30",
           "机油、滤清器、轮胎和制动系统的日常维护。",
           "在学院汽修实训中心分组实操，每组不超过 6 人。",
           audiences=("veterans", "migrant_workers"), venue="河南应用技术职业学院 汽修实训中心", capacity=24,
           weekly=((5,), *LONG_AFTERNOON, 12)),
    course("care-worker-kfzh", "养老护理员培训", "KF-HV-KFZH", "vocational", "blended", "40",
           "生活照料、基础护理和康复服务，面向养老机构在岗和拟就业人员。",
           "结业后可参加养老护理员职业技能等级认定；优秀学员推荐到合作养老机构就业。",
           audiences=("rural_labour", "migrant_workers"), venue="开封智慧健康职业学院 护理实训楼", capacity=40,
           weekly=((5,), *LONG_MORNING, 8),
           lessons=(video("养老护理员的职业守则"), text("协助老人翻身", "每两小时翻身一次，动作轻稳，"
                                                    "翻身后检查骶尾部、足跟等骨突处皮肤。"))),
    course("bianxiu-kfwy", "汴绣技艺传承班", "KF-HV-KFWY", "vocational", "offline", "60",
           "系统学习汴绣针法与作品设计，培养非遗手工艺从业者。",
           "由省级非遗传承人带徒授艺，结业作品可在学院非遗工坊展销。",
           venue="开封文化艺术职业学院 非遗工坊", capacity=20, weekly=((1, 3), *LONG_AFTERNOON, 24)),
]

CONTINUING = [
    course("accounting-cpd", "会计人员继续教育（2026 年度）", "KF-HV-KFU", "continuing", "online", "24",
           "政府会计准则与智能财税新变化。", "完成全部课时即可在学分银行记录本年度继续教育学时。",
           lessons=(video("政府会计准则解读"), text("电子发票与数电票", "数电票的开具、交付与入账：不再需要税控设备，"
                                                     "开具后自动交付到受票方的税务数字账户。"),
                    quiz("小测验", [("数电票开具后如何交付？", [("自动交付到受票方税务数字账户", True), ("只能打印邮寄", False)],
                                     "数电票可自动交付，也可通过邮箱、二维码等方式交付。")]))),
    course("teacher-it-henu", "中小学教师信息技术应用能力提升", "KF-U-HENU", "continuing", "online", "50",
           "多媒体课件、智慧课堂与数据分析在教学中的应用。",
           "计入中小学教师继续教育学时（五年一周期 360 学时）。",
           lessons=(video("信息技术与学科教学融合"), text("用数据改进作业设计", "看错题分布找共性问题，分层布置作业。"),
                    quiz("小测验", [("分层作业的依据主要是？", [("学生的学习数据", True), ("座位顺序", False)],
                                     "根据作业和测验数据把学生分层。")]))),
    course("digital-economy-kfkc", "专业技术人员公需科目：数字经济", "KF-U-KFKC", "continuing", "online", "12",
           "数字经济的概念、政策与产业案例。", "河南开封科技传媒学院主讲，学完可打印学时证明。",
           lessons=(video("什么是数字经济"), text("案例：开封文旅数字化", "线上预约、电子门票和数字藏品，让古城文旅更便捷。"))),
    course("geriatrics-kfzh", "医护人员继续教育：老年医学新进展", "KF-HV-KFZH", "continuing", "online", "16",
           "老年综合评估、多重用药管理和认知障碍的早期识别。", "面向基层医疗机构和养老机构的医护人员。",
           lessons=(video("老年综合评估"), text("多重用药的风险", "同时服用五种以上药物，跌倒和不良反应风险明显增加，"
                                                 "应定期请医生或药师审核用药。"))),
]

RURAL_LABOR = [
    course("greenhouse-lksn", "设施蔬菜种植技术", "KF-HV-LKSN", "rural_labor", "blended", "32",
           "日光温室和大棚蔬菜的茬口安排、水肥一体化和病虫害绿色防控。",
           "线下课在学院实训基地和合作社大棚现场教学。",
           audiences=("rural_labour",), venue="兰考三农职业学院 农业实训基地", capacity=50,
           weekly=((2,), *LONG_MORNING, 6),
           lessons=(video("温室结构与茬口安排"), text("水肥一体化", "滴灌随水施肥，少量多次，比大水漫灌省水省肥。"),
                    quiz("小测验", [("水肥一体化的施肥原则是？", [("少量多次", True), ("一次施足", False)],
                                     "少量多次，减少浪费和盐渍化。")]))),
    course("housekeeping-weishi", "家政服务员转移就业培训", "KF-CC-410223", "rural_labor", "offline", "24",
           "家居保洁、衣物洗涤、家庭烹饪和母婴生活照料。",
           "结业后由县人社部门推荐到郑州、开封的家政企业就业。",
           audiences=("rural_labour",), venue="尉氏县社区学院 家政实训室", capacity=40,
           weekly=((0, 2), *LONG_MORNING, 8)),
    course("instrument-lksn", "民族乐器（古筝）制作工艺", "KF-HV-LKSN", "rural_labor", "offline", "40",
           "以兰考泡桐为面板，学习古筝选材、开料、雕刻和上漆。",
           "与堌阳镇乐器企业合作，实训在企业车间进行，结业后可直接上岗。",
           audiences=("rural_labour",), venue="兰考三农职业学院 乐器工艺实训室", capacity=30,
           weekly=((1, 3), *LONG_AFTERNOON, 16)),
    course("pastry-tongxu", "中式面点制作（转移就业）", "KF-CC-410222", "rural_labor", "offline", "24",
           "馒头、包子、烩面等北方面点的制作。", "结业后推荐到餐饮企业就业或自主创业。",
           audiences=("rural_labour", "migrant_workers"), venue="通许县社区学院 面点实训室", capacity=30,
           weekly=((1,), *LONG_MORNING, 9)),
]

FITNESS = [
    course("square-dance-tyxx", "社会体育指导员（广场舞）培训", "KF-SV-TYXX", "fitness_leader", "offline", "16",
           "广场舞编排、带操口令和运动损伤预防，培养社区健身骨干。",
           "结业者纳入市健身骨干名册，回到社区带队健身。",
           audiences=("elderly",), venue="开封市体育运动学校 综合训练馆", capacity=60, weekly=((1, 3), *MORNING, 10)),
    course("baduanjin-tyxx", "八段锦健身骨干培训", "KF-SV-TYXX", "fitness_leader", "blended", "12",
           "规范学习健身气功八段锦，学会教别人。", "线上看分解动作，线下由国家级社会体育指导员纠正动作。",
           audiences=("elderly",), venue="开封市体育运动学校 武术馆", capacity=40, weekly=((4,), *MORNING, 6),
           lessons=(video("八段锦分解动作（一）"), text("练习要点", "松静自然，准确灵活，练养相兼，循序渐进。"))),
]

# 1+X programmes: (slug, title, provider, certificate code, level, description, courses, exam sittings) where a
# sitting is (days from today, or the first Saturday at least that many days ahead when positive, venue).
X_PROGRAMMES = [
    ("eldercare-1x", "老年照护 1+X 证书培训项目", "KF-HV-KFZH", "X-LNZH", "junior",
     "书证融通：课程对接老年照护职业技能等级证书，理论与实操考核均在学院考点进行。",
     [course("eldercare-junior", "老年照护（初级）证书培训", "KF-HV-KFZH", "x_certificate", "blended", "64",
             "对接 1+X 老年照护职业技能等级证书（初级），理论 + 实操。",
             "实操课在护理实训楼的模拟养老房间进行，每 8 人一名指导教师。",
             audiences=("students",), venue="开封智慧健康职业学院 护理实训楼", capacity=40,
             weekly=((5,), *LONG_MORNING, 12),
             lessons=(video("老年人生活照护概论"), text("协助进食与饮水", "体位：床头抬高 30–45 度或坐位；"
                                                         "速度：小口慢喂；预防误吸：进食后保持体位 30 分钟。"),
                      quiz("理论模拟题", [("协助卧床老人进食时，床头应抬高约？", [("30–45 度", True), ("0 度", False)],
                                          "半卧位可减少误吸。")], pass_mark=80)))],
     [(-1, "开封智慧健康职业学院 考点"), (21, "开封智慧健康职业学院 考点")]),
    ("dementia-care-1x", "失智老年人照护 1+X 证书培训项目", "KF-HV-KFZH", "X-SZZH", "junior",
     "面向护理、老年保健与管理专业学生和养老机构员工，学习失智老人的沟通、照护与风险防范。",
     [course("dementia-care-junior", "失智老年人照护（初级）证书培训", "KF-HV-KFZH", "x_certificate", "online", "48",
             "认识认知障碍，学会与失智老人沟通和日常照护。", "理论线上学习，实操考核前安排集中训练。",
             audiences=("students",),
             lessons=(video("认识失智症"), text("与失智老人沟通", "放慢语速、一次只说一件事；不争辩、不纠正；"
                                                "用熟悉的照片和音乐唤起回忆。"),
                      quiz("模拟题", [("失智老人反复问同一个问题时应？", [("耐心回答，转移注意力", True), ("批评他", False)],
                                    "争辩会加重焦虑。")], pass_mark=80)))],
     [(35, "开封智慧健康职业学院 考点")]),
    ("web-frontend-1x", "Web前端开发 1+X 证书培训项目", "KF-HV-KFU", "X-WEB", "junior",
     "开封大学计算机应用技术专业的书证融通项目，面向在校生和社会学员。",
     [course("web-frontend-junior", "Web前端开发（初级）证书培训", "KF-HV-KFU", "x_certificate", "blended", "64",
             "HTML、CSS、JavaScript 基础与响应式网页制作。", "实训在机房进行，完成一个企业官网项目。",
             audiences=("students",), venue="开封大学 信息工程学院 机房 302", capacity=45,
             weekly=((5,), *LONG_MORNING, 10),
             lessons=(video("网页的结构：HTML"), text("响应式布局", "使用媒体查询和弹性布局，让网页在手机和电脑上都好用。"),
                      quiz("模拟题", [("设置文字颜色的 CSS 属性是？", [("color", True), ("font-size", False)],
                                    "color 设置文字颜色。")], pass_mark=60)))],
     [(28, "开封大学 考点（信息工程学院）")]),
    ("robot-1x", "工业机器人操作与运维 1+X 证书培训项目", "KF-HV-YRCW", "X-GYJQR", "intermediate",
     "依托黄河水利职业技术学院智能制造实训中心，对接工业机器人操作与运维证书（中级）。",
     [course("robot-intermediate", "工业机器人操作与运维（中级）证书培训", "KF-HV-YRCW", "x_certificate", "blended", "72",
             "工业机器人示教编程、离线仿真和日常维护。", "实训在智能制造实训中心进行，每台机器人 4 名学员。",
             audiences=("students",), venue="黄河水利职业技术学院 智能制造实训中心", capacity=32,
             weekly=((5,), *LONG_AFTERNOON, 12),
             lessons=(video("机器人安全操作规范"), text("示教编程步骤", "建立坐标系、示教关键点、编写程序、单步调试、自动运行。")))],
     [(42, "黄河水利职业技术学院 考点")]),
    ("ecommerce-data-1x", "电子商务数据分析 1+X 证书培训项目", "KF-HV-HNDW", "X-DSSJ", "junior",
     "河南对外经济贸易职业学院电子商务专业的书证融通项目。",
     [course("ecommerce-data-junior", "电子商务数据分析（初级）证书培训", "KF-HV-HNDW", "x_certificate", "online", "48",
             "电商数据采集、处理与可视化，读懂店铺经营报表。", "配套真实店铺脱敏数据进行练习。",
             audiences=("students",),
             lessons=(video("电商数据从哪里来"), text("转化率怎么算", "转化率 = 成交人数 ÷ 访客数。\n"
                                                    "比较转化率时要看同一时间段、同一流量来源。"),
                      quiz("模拟题", [("访客 1,000 人、成交 30 人，转化率是？", [("3%", True), ("30%", False)],
                                    "30 ÷ 1,000 = 3%。")])))],
     [(28, "河南对外经济贸易职业学院 考点")]),
    ("logistics-1x", "物流管理 1+X 证书培训项目", "KF-HV-HNDW", "X-WLGL", "intermediate",
     "现代物流管理专业对接物流管理证书（中级），与本地物流园区企业共建实训。",
     [course("logistics-intermediate", "物流管理（中级）证书培训", "KF-HV-HNDW", "x_certificate", "blended", "56",
             "仓储作业、运输调度与供应链基础。", "实训在学院智慧物流实训室和合作企业仓库进行。",
             audiences=("students",), venue="河南对外经济贸易职业学院 智慧物流实训室", capacity=40,
             weekly=((5,), *LONG_MORNING, 8),
             lessons=(video("仓储作业流程"), text("先进先出", "先入库的货物先出库，避免货物过期和积压。")))],
     [(49, "河南对外经济贸易职业学院 考点")]),
]
