"""A fourth set, written on 2026-12-04 after issue 22's compliance change and scored once, untuned:
it tells how far the new classes reach beyond the held-out set they were built against.

Same form as ``compliance_cases.py``. Scored untuned it flagged 13 of 15 and touched none of the 8
clean fragments; session 9 fixed the two misses (比去医院还有效, 没效果全额退), so the set no longer
tells what fresh copy would do.
"""

CASES = [
    ("a-01", "xiaohongshu", "优惠券领取方式放在个签里了", [("个签", "diversion")], []),
    ("a-02", "douyin", "同款链接在我头像里找", [("头像", "diversion")], []),
    ("a-03", "xiaohongshu", "主页第一篇有完整教程", [], ["主页"]),
    ("a-04", "xiaohongshu", "黄色软件上买券更划算", [("黄色软件", "diversion")], []),
    ("a-05", "douyin", "某乎上有人问过这个问题", [("某乎", "diversion")], []),
    ("a-06", "xiaohongshu", "tb搜店名", [("tb搜", "diversion")], []),
    ("a-07", "xiaohongshu", "薇：coffee_2026", [("薇：coffee_2026", "diversion")], []),
    ("a-08", "xiaohongshu", "某个周末我们去了趟郊外", [], ["某个"]),
    ("a-09", "douyin", "喜欢的话私我拿配方", [("私我", "diversion")], []),
    ("a-10", "wechat", "转发到3个群并截图给客服，即可免费领取", [("转发", "diversion")], []),
    ("a-11", "wechat", "欢迎转发给身边爱喝咖啡的朋友", [], ["转发"]),
    ("a-12", None, "喝了三天，便秘没了", [("便秘没了", "medical")], []),
    ("a-13", None, "比去医院还有效", [("比去医院还有效", "medical")], []),
    ("a-14", None, "纯天然，零副作用", [("零副作用", "medical")], []),
    ("a-15", None, "没效果全额退", [("没效果全额退", "guarantee")], []),
    ("a-16", None, "技术全球领先", [("全球领先", "ranking")], []),
    ("a-17", None, "最醇厚的一杯美式", [("最醇厚", "superlative")], []),
    ("a-18", None, "最近天气转凉", [], ["最近"]),
    ("a-19", None, "大家最喜欢哪个口味？", [], ["最喜欢"]),
    ("a-20", None, "荣获国家级技能大师工作室称号", [], ["国家级"]),
    ("a-21", None, "国家级品质，值得信赖", [("国家级", "first_authority")], []),
    ("a-22", None, "第100位到店的顾客免单", [], ["第100"]),
    ("a-23", None, "电量从20%到100%", [], ["100%"]),
    ("a-24", None, "咖啡界的爱马仕", [], []),
]
