"""The demo catalog's content (courses/demo.py loads it): lifelong-learning courses of Kaifeng's providers in all
nine districts. Work and certificate training is in demo_catalog_work.py.

Schedules are data, never text: ``weekly`` = (weekdays, Monday 0, start, end, number of sessions), in Asia/Shanghai
time, and only in the daytime for elders; the loader makes the sessions and the course dates from it. Lesson
minutes are reading times; video and audio lessons play the bundled 20-second sample and 12-second tone, so they
say 1 minute (their measured length is what counts).
"""

SAMPLE_VIDEO = "/static/courses/media/sample-lesson.webm"
SAMPLE_AUDIO = "/static/courses/media/sample-lesson.wav"
SAMPLE_CAPTIONS = "/static/courses/media/sample-lesson.vtt"
MORNING = ("09:00", "10:30")
AFTERNOON = ("14:30", "16:00")


def video(title: str, summary: str = "", required: bool = True):
    return ("video", {"title": title, "minutes": 1, "required": required, "video": None, "video_url": SAMPLE_VIDEO,
                      "captions": None, "captions_url": SAMPLE_CAPTIONS, "summary": f"<p>{summary}</p>" if summary else ""})


def audio(title: str, transcript: str):
    return ("audio", {"title": title, "minutes": 1, "required": True, "audio": None, "audio_url": SAMPLE_AUDIO,
                      "transcript": "".join(f"<p>{p}</p>" for p in transcript.split("\n"))})


def text(title: str, body: str, minutes: int = 8, required: bool = True):
    return ("text", {"title": title, "minutes": minutes, "required": required,
                     "body": "".join(f"<p>{p}</p>" for p in body.split("\n"))})


def quiz(title: str, questions: list, pass_mark: int = 60, max_attempts: int = 3):
    """questions: (question, [(choice, correct)...], explanation)."""
    return ("quiz", {"title": title, "minutes": 5, "required": True, "pass_mark": pass_mark,
                     "max_attempts": max_attempts, "draw": 0,
                     "questions": [{"text": q, "choices": [{"text": t, "correct": ok} for t, ok in choices],
                                    "explanation": why} for q, choices, why in questions]})


def course(slug, title, provider, category, mode, hours, summary, about, **extra) -> dict:
    """A demo course. extra: audiences, venue, capacity, credits, weekly, lessons, prerequisites."""
    return {"slug": slug, "title": title, "provider": provider, "category": category, "mode": mode,
            "hours": hours, "summary": summary, "about": about, "audiences": (), "venue": "", "capacity": None,
            "credits": None, "weekly": None, "lessons": (), "prerequisites": "", **extra}


FRAUD_QUIZ = quiz("课后小测验", [
    ("陌生电话让您把钱转到“安全账户”，应该怎么做？",
     [("马上转账", False), ("挂断电话，打给子女或拨打 110 核实", True), ("把验证码告诉对方", False)],
     "公检法机关不会要求转账到“安全账户”，凡是要钱、要验证码的电话都要先挂断再核实。"),
    ("微信视频通话的按钮在哪里？",
     [("聊天窗口右下角的“+”里", True), ("手机设置里", False), ("相册里", False)],
     "打开家人的聊天窗口，点右下角的“+”，再点“视频通话”。"),
])

ELDERLY = [
    course("smartphone-for-elders", "智能手机使用入门（长辈班）", "KF-EU", "elderly", "blended", "12",
           "手把手教长辈用微信视频、扫码乘车、识别电信诈骗。",
           "每次课先由老师演示，再由志愿者一对一辅导，请带上自己的手机和充电器。",
           audiences=("elderly",), venue="开封老年大学 教学楼 203 教室", capacity=30, credits="0.5",
           weekly=((1, 3), *MORNING, 8), prerequisites="能接打电话即可，零基础也能学。",
           lessons=(video("第一课：认识智能手机", "开机、解锁、调大字体和音量，认识主屏幕上的图标。"),
                    audio("第二课：防范电信诈骗", "各位长辈好。今天讲怎样识别电信诈骗。\n凡是电话里让您转账、"
                          "告诉验证码的，一律挂断，再打给子女或拨打 110 核实。"),
                    text("第三课：微信视频通话", "打开微信，点开家人的聊天窗口，点右下角“+”，再点“视频通话”。\n"
                         "对方接通后，把手机竖着拿稳，脸放在屏幕中间。想结束时点红色的挂断按钮。"),
                    FRAUD_QUIZ)),
    course("calligraphy-elders", "老年书法（楷书基础）", "KF-EU", "elderly", "offline", "24",
           "从握笔、永字八法起步，适合零基础长辈。",
           "以颜真卿《多宝塔碑》为范本，每次课临写一组基本笔画，学期末每人完成一幅斗方作品。笔墨纸由学校提供。",
           audiences=("elderly",), venue="开封老年大学 书画室", capacity=2, credits="1.5",
           weekly=((2,), *AFTERNOON, 16)),
    course("taichi-shunhe", "太极拳（二十四式）", "KF-EC-410203", "elderly", "offline", "18",
           "动作舒缓、强身健体，学会完整的二十四式简化太极拳。",
           "每次课先做热身和站桩，再学两到三个动作；有膝关节不适的长辈可先练上肢动作。请穿平底软鞋。",
           audiences=("elderly",), venue="顺河回族区老年教育中心 活动大厅", capacity=40,
           weekly=((0, 4), *MORNING, 12)),
    course("yuju-yuwangtai", "豫剧唱腔欣赏与演唱", "KF-EC-410205", "elderly", "blended", "15",
           "从常派、陈派、马派名段入手，学唱《花木兰》《朝阳沟》经典唱段。",
           "线上先听名家唱段和讲解，线下由剧团老师逐句教唱、纠正吐字和气息。",
           audiences=("elderly",), venue="禹王台区老年教育中心 排练厅", capacity=35, weekly=((2,), *AFTERNOON, 8),
           lessons=(video("豫剧的流派与代表剧目", "常香玉、陈素真、马金凤等名家的代表作与唱腔特点。"),
                    text("《朝阳沟》选段唱词", "“亲家母你坐下，咱们说说知心话……”\n先慢速念白，找准字头字尾，"
                         "再跟着伴奏一句一句唱。"),
                    quiz("小测验", [("《花木兰》中“刘大哥讲话理太偏”的主要流派是？",
                                  [("常派", True), ("越剧", False), ("京剧梅派", False)],
                                  "这是常香玉先生的代表唱段。")]))),
    course("health-chronic-eu", "老年人健康养生与慢病管理", "KF-EU", "elderly", "online", "8",
           "高血压、糖尿病的日常管理，合理用药与饮食运动。",
           "由开封市中心医院的医生录制，每课十几分钟，可以反复观看；有疑问请咨询自己的家庭医生。",
           audiences=("elderly",), credits="0.5",
           lessons=(video("认识高血压", "血压的正常范围、在家怎样量血压、什么时候要就医。"),
                    text("吃得对，血糖稳", "主食粗细搭配，每餐先吃蔬菜再吃主食；少喝粥、少吃甜点。\n"
                         "每天走路 30 分钟以上，饭后半小时开始活动最合适。"),
                    text("安全用药五条", "按医嘱服药，不自行停药；同时吃多种药要告诉医生；药品放在孩子拿不到的地方；"
                         "不轻信保健品广告；过期药品及时清理。", minutes=5),
                    quiz("课后小测验", [("成年人血压的正常上限一般是？", [("140/90 mmHg", True), ("180/120 mmHg", False)],
                                     "收缩压达到 140 或舒张压达到 90 mmHg，应到医院确诊。")]))),
    course("bianxiu-longting", "汴绣入门", "KF-EC-410202", "elderly", "offline", "20",
           "国家级非物质文化遗产汴绣的基本针法，绣一幅小团扇。",
           "由汴绣传承人授课，学习齐针、套针、打籽针等针法；针线和绣绷由中心提供。",
           audiences=("elderly",), venue="龙亭区老年教育中心 手工教室", capacity=20, weekly=((3,), *MORNING, 12)),
    course("guohua-xiangfu", "中国画（花鸟）基础", "KF-EC-410212", "elderly", "offline", "24",
           "学画牡丹、梅花和小鸟，体会笔墨情趣。",
           "从执笔、调墨学起，每次课完成一幅小品；期末在中心展厅举办学员作品展。",
           audiences=("elderly",), venue="祥符区老年教育中心 书画教室", capacity=25, weekly=((1,), *AFTERNOON, 16)),
    course("chorus-tongxu", "合唱与声乐基础", "KF-EC-410222", "elderly", "offline", "18",
           "科学发声、识简谱，排练两首合唱曲目。",
           "适合喜欢唱歌的长辈，学期末参加县里的重阳节汇演。",
           audiences=("elderly",), venue="通许县老年教育中心 音乐教室", capacity=45, weekly=((2,), *MORNING, 12)),
    course("fall-prevention-weishi", "老年人防跌倒与居家安全", "KF-EC-410223", "elderly", "blended", "6",
           "居家防跌倒改造、平衡训练和跌倒后的正确起身方法。",
           "线上学习要点，线下由康复治疗师带大家练习平衡操，并教家属做居家安全检查。",
           audiences=("elderly",), venue="尉氏县老年教育中心 康复训练室", capacity=30, weekly=((4,), *MORNING, 2),
           lessons=(video("为什么老人容易跌倒", "肌力下降、视力变差、药物影响和家里的“隐形陷阱”。"),
                    text("居家安全检查清单", "卫生间装扶手、铺防滑垫；夜间起夜有小夜灯；常用物品放在伸手可及的高度；"
                         "门槛和电线不绊脚。"),
                    quiz("小测验", [("老人跌倒后，家人第一步应该？", [("马上用力拉起来", False),
                                                            ("先判断意识和疼痛部位，不急于扶起", True)],
                                  "贸然扶起可能加重骨折，先判断伤情，必要时拨打 120。")]))),
]

SMART_TECH = [
    course("online-hospital-gulou", "手机挂号与网上就医", "KF-EC-410204", "smart_tech", "blended", "6",
           "用手机预约挂号、查检查报告、在线缴费，少跑腿不排队。",
           "以开封市常用的医院公众号和“豫事办”为例，一步一步操作；请带上身份证和医保卡。",
           audiences=("elderly",), venue="鼓楼区老年教育中心 电脑教室", capacity=30, weekly=((1,), *MORNING, 3),
           lessons=(video("认识医院公众号", "关注医院公众号，找到“预约挂号”菜单。"),
                    text("预约挂号五步", "打开公众号，点“预约挂号”；选科室；选医生和时间；填写就诊人信息；确认并支付。\n"
                         "预约成功后会收到短信，就诊当天凭身份证或医保卡取号。"),
                    quiz("小测验", [("预约成功后，就诊当天一般凭什么取号？", [("身份证或医保卡", True), ("户口本", False)],
                                     "大部分医院支持身份证、医保卡或医保电子凭证取号。")]))),
    course("mobile-pay-qixian", "移动支付与防范诈骗", "KF-EC-410221", "smart_tech", "blended", "6",
           "微信、支付宝付款和收款，设置支付密码，识别扫码诈骗。",
           "老师和志愿者现场帮长辈检查手机的支付安全设置，家属可以一起来。",
           audiences=("elderly",), venue="杞县老年教育中心 多功能教室", capacity=40, weekly=((3,), *AFTERNOON, 3),
           lessons=(video("扫码付款怎么做", "打开“扫一扫”，对准商家的收款码，核对金额再付款。"),
                    audio("防范扫码诈骗", "有人说扫码领鸡蛋、领礼品，要您输入支付密码，这是骗局。\n"
                          "支付密码只在自己付款时输入，不要告诉任何人。"),
                    FRAUD_QUIZ)),
    course("smart-travel-lankao", "扫码乘车与网约车", "KF-EC-410225", "smart_tech", "offline", "3",
           "用手机扫码坐公交、叫出租车，出门不用带零钱。",
           "现场演示乘车码和网约车软件，结课时带大家到附近公交站实际乘坐一次。",
           audiences=("elderly",), venue="兰考县老年教育中心 教室一", capacity=25, weekly=((0,), *MORNING, 2)),
    course("phone-video-eu", "手机拍照与短视频制作", "KF-EU", "smart_tech", "blended", "9",
           "拍出好看的照片，把旅行和孙辈的视频剪成小影片。",
           "学习构图、光线和手机自带剪辑功能；线下课带大家在校园里实拍。",
           audiences=("elderly",), venue="开封老年大学 多媒体教室", capacity=30, weekly=((4,), *AFTERNOON, 4),
           lessons=(video("拍照的三个小窍门", "横平竖直、三分构图、顺光拍人。"),
                    text("用剪映做一段小视频", "导入照片和视频，拖动调整顺序，加上音乐和字幕，点“导出”保存到相册。"),
                    quiz("小测验", [("拍人像时，太阳最好在？", [("拍摄者身后", True), ("被拍的人身后", False)],
                                     "顺光拍摄，人脸明亮清楚。")]))),
    course("e-gov-longting", "医保电子凭证与政务服务", "KF-CC-410202", "smart_tech", "online", "4",
           "激活医保电子凭证，用“豫事办”办理社保认证、查询养老金。",
           "每课都有操作录屏，可以边看边在手机上跟着做。",
           audiences=("elderly",),
           lessons=(video("激活医保电子凭证", "在微信或支付宝中搜索“医保电子凭证”，刷脸激活。"),
                    text("养老金资格认证", "打开“豫事办”，点“社保服务”，找到“待遇资格认证”，按提示刷脸即可。\n"
                         "认证一年一次，家人可以帮忙，但必须本人刷脸。"),
                    quiz("小测验", [("养老金资格认证需要谁刷脸？", [("领取人本人", True), ("子女代刷", False)],
                                     "资格认证必须由领取人本人完成。")]))),
    course("smart-home-yuwangtai", "智能家居与语音助手", "KF-CC-410205", "smart_tech", "offline", "3",
           "用语音打电话、设闹钟、听戏曲，认识智能音箱和电视投屏。",
           "适合独居长辈和照护家属；现场有多款设备可以试用。",
           audiences=("elderly",), venue="禹王台区社区学院 体验教室", capacity=20, weekly=((2,), *MORNING, 2)),
]

COMMUNITY = [
    course("first-aid-longting", "家庭急救常识（社区公益课）", "KF-CC-410202", "community", "blended", "6",
           "心肺复苏、海姆立克急救法，社区医生现场示范。",
           "线上学习急救原理，线下在模拟人上练习按压和人工呼吸，考核合格者颁发社区急救培训证明。",
           audiences=("elderly", "veterans"), venue="龙亭区社区学院 多功能厅", capacity=40,
           weekly=((5,), *MORNING, 2),
           lessons=(video("心肺复苏步骤", "判断意识、呼救、胸外按压、开放气道、人工呼吸。"),
                    quiz("急救小测", [("发现有人倒地无反应，第一步是？",
                                    [("确认现场安全并呼救", True), ("马上喂水", False)],
                                    "先确保自己和伤者安全，再呼救、拨打 120。")]))),
    course("song-dongjing-cu", "开封历史文化讲堂：北宋东京城", "KF-CU", "community", "online", "6",
           "从《清明上河图》走进北宋东京城，了解开封“城摞城”的故事。",
           "由河南大学历史学者主讲，配合城墙、州桥遗址等实景图片。",
           lessons=(video("东京梦华：北宋都城的布局", "外城、内城、宫城三重城垣与汴河漕运。"),
                    text("城摞城的秘密", "黄河多次泛滥，开封古城层层叠压：地下三到十几米，叠压着战国大梁城、唐汴州城、"
                         "北宋东京城、金汴京城、明开封城和清开封城。\n州桥遗址的发掘让北宋汴河的石壁重见天日。"),
                    quiz("小测验", [("《清明上河图》描绘的是哪座城市？", [("北宋东京（今开封）", True), ("唐长安", False)],
                                     "张择端描绘的是北宋都城东京汴河两岸的景象。")]))),
    course("parenting-gulou", "家庭教育指导：陪孩子走过青春期", "KF-CC-410204", "community", "blended", "6",
           "理解青春期孩子的变化，学会倾听与沟通。",
           "面向中小学生家长和祖辈，线上讲座加线下家长沙龙。",
           venue="鼓楼区社区学院 家长学校", capacity=50, weekly=((5,), *AFTERNOON, 2),
           lessons=(video("青春期的身心变化"), text("沟通的四个技巧", "先听完再说；说感受不说指责；"
                                                 "约定规则一起商量；给孩子留面子。"))),
    course("green-life-yuwangtai", "垃圾分类与绿色生活", "KF-CC-410205", "community", "online", "2",
           "四类垃圾怎么分，旧物怎么再利用。", "适合全家一起学习，配有分类小游戏。",
           lessons=(text("四分类一图读懂", "可回收物、有害垃圾、厨余垃圾、其他垃圾。\n废电池、过期药品、"
                         "废荧光灯管属于有害垃圾，请投放到红色桶。"),
                    quiz("小测验", [("过期药品属于？", [("有害垃圾", True), ("厨余垃圾", False), ("可回收物", False)],
                                     "过期药品应投放到有害垃圾桶。")]))),
    course("flower-xiangfu", "插花与家居美化", "KF-CC-410212", "community", "offline", "6",
           "学习东方插花的基本花型，用鲜花和绿植装点家居。",
           "花材费用由社区学院承担，每次课的作品可以带回家。",
           venue="祥符区社区学院 美育教室", capacity=24, weekly=((3,), *AFTERNOON, 4)),
    course("kaifeng-snacks-qixian", "开封小吃制作", "KF-CC-410221", "community", "offline", "9",
           "灌汤包、花生糕、杞县红薯泥，学做地道开封味道。",
           "由持证面点师授课，食材由学院准备，学员需自备围裙。",
           venue="杞县社区学院 烹饪实训室", capacity=20, weekly=((2,), *MORNING, 6)),
    course("civil-code-tongxu", "法律明白人：身边的民法典", "KF-CC-410222", "community", "blended", "6",
           "婚姻家庭、继承、邻里纠纷、合同与借款，用案例讲清楚。",
           "由县司法局律师授课，线下设法律咨询时间。",
           venue="通许县社区学院 报告厅", capacity=80, weekly=((4,), *AFTERNOON, 2),
           lessons=(video("民法典里的婚姻家庭"), text("立遗嘱要注意什么", "自书遗嘱须亲笔书写、签名并注明年、月、日；"
                                                      "打印遗嘱须有两个以上见证人在每一页签名。"))),
    course("finance-weishi", "家庭理财与防范非法集资", "KF-CC-410223", "community", "online", "3",
           "看懂存款、国债和保险，识破“高息理财”和“养老投资”骗局。",
           "由人民银行和金融监管部门的讲师授课。",
           lessons=(video("高息背后的陷阱"), text("非法集资的四个特征", "未经批准、公开宣传、承诺高额回报、面向社会公众。\n"
                                                   "遇到“保本高息”“拉人头返利”，请向当地金融监管部门或公安机关举报。"),
                    quiz("小测验", [("承诺“保本、年化 30%”的理财产品可信吗？", [("可信", False), ("不可信，要警惕", True)],
                                     "正规理财不会承诺保本高收益。")]))),
    course("jiao-yulu-lankao", "焦裕禄精神与兰考发展", "KF-CC-410225", "community", "blended", "6",
           "走进焦裕禄纪念园，了解兰考从治沙到致富的变化。",
           "线上学习历史资料，线下参观焦裕禄纪念园和泡桐林。",
           audiences=("veterans",), venue="兰考县社区学院 报告厅", capacity=60, weekly=((3,), *MORNING, 2),
           lessons=(video("“三害”治理与泡桐"), text("从治沙到致富", "当年种下的泡桐，如今成了民族乐器的好材料，"
                                                   "兰考因此成为全国重要的民族乐器生产基地。"))),
    course("nutrition-shunhe", "健康膳食与营养", "KF-CC-410203", "community", "online", "3",
           "按《中国居民膳食指南》搭配一日三餐。", "适合全家人学习，老人、孕妇和儿童有专门的建议。",
           lessons=(text("平衡膳食八准则", "食物多样、合理搭配；吃动平衡；多吃蔬果、奶类、全谷和大豆；适量吃鱼禽蛋瘦肉；"
                         "少盐少油、控糖限酒；规律进餐、足量饮水；会烹会选、会看标签；公筷分餐、杜绝浪费。"),
                    quiz("小测验", [("成年人每天食盐不超过？", [("5 克", True), ("15 克", False)],
                                     "《中国居民膳食指南（2022）》建议每天不超过 5 克。")]))),
]

OPEN_UNIVERSITY = [
    course("computer-basics-ou", "计算机应用基础", "KF-OU", "open_university", "online", "36",
           "开放教育公共基础课：办公软件、网络与信息安全。",
           "课程考核由形成性考核（50%）和终结性考试（50%）组成，可在学分银行认定 2 学分。",
           audiences=("students",), credits="2",
           lessons=(video("第一章：计算机基础知识", "硬件、软件与操作系统。"),
                    text("第二章：文字处理", "学习 WPS 文字的排版与打印：页面设置、样式、目录和页码。"),
                    text("第三章：网络与信息安全", "设置强密码，开启两步验证；不随意点击陌生链接；重要文件定期备份。"),
                    quiz("单元测验", [("保存文档的快捷键是？", [("Ctrl+S", True), ("Ctrl+P", False), ("Ctrl+Z", False)],
                                     "Ctrl+S 保存，Ctrl+P 打印，Ctrl+Z 撤销。")]))),
    course("elderly-service-ou", "老年服务与管理概论", "KF-OU", "open_university", "online", "54",
           "老年保健与管理专业的专业基础课：人口老龄化、养老服务体系与政策。",
           "内容与开封智慧健康职业学院的老年照护 1+X 证书培训相衔接。",
           audiences=("students",), credits="3",
           lessons=(video("人口老龄化与开封", "开封 60 岁以上人口约 93 万，占常住人口的 19.29%。"),
                    text("居家、社区、机构", "我国养老服务体系以居家为基础、社区为依托、机构为补充、医养相结合。"),
                    quiz("单元测验", [("我国养老服务体系以什么为基础？", [("居家", True), ("机构", False)],
                                     "居家为基础、社区为依托、机构为补充。")]))),
    course("preschool-health-ou", "学前儿童卫生与保健", "KF-OU", "open_university", "online", "54",
           "学前教育专业课：儿童生长发育、营养、常见病预防与安全。",
           "适合在职幼儿园教师和保育员，学完可参加期末考试取得学分。", audiences=("students",), credits="3",
           lessons=(video("儿童生长发育的规律"), text("幼儿园常见传染病", "手足口病、流感、水痘：晨检、通风、消毒和隔离。"),
                    quiz("单元测验", [("手足口病高发季节一般是？", [("春夏季", True), ("冬季", False)],
                                     "手足口病多发于 4–7 月。")]))),
    course("management-ou", "管理学基础", "KF-OU", "open_university", "online", "54",
           "计划、组织、领导、控制：管理的基本职能与案例。",
           "工商管理、行政管理专业的共同基础课。", audiences=("students",), credits="3",
           lessons=(video("管理的四项职能"), text("案例：社区食堂的运营", "从需求调查、排班到成本控制，看管理职能怎样落地。"))),
]
