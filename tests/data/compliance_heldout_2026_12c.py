"""A fifth set, written on 2026-12-04 in session 9 before any change of that session, from copy
nobody had fed the rules. Same form as ``compliance_cases.py``: (id, platform key or None, text,
[(fragment, category) that must be flagged], [fragments that must not be touched]).

Scored untuned on the code of 292489f: 36 of 46 flags raised (10 silent misses: 戳主页置顶, 简介的邮箱,
绿泡泡, 去快手找我, 集齐20个赞, 有效率高达98%, 错过等一年, 央视推荐, 医生推荐, 再不看就删了) and 4 of 21 clean
fragments touched (我们的第一家门店, 羊毛含量100%, 最低到99元, 最好在48小时内). The change was made against
this set, so it no longer tells what fresh copy would do. Four flags were raised under another category
than the one guessed here (三天见效 guarantee, 遥遥领先 extreme_quality, 独家 first_authority, 国家免检
endorsement); those four expectations were changed to the check's own categories after scoring.
"""

CASES = [
    # Diversion: pointing at the profile, apps by nickname, contact by initials or homophones
    ("c-01", "xiaohongshu", "想要同款的来戳主页置顶", [("置顶", "diversion")], []),
    ("c-02", "xiaohongshu", "资料包放在简介的邮箱里了", [("简介", "diversion")], []),
    ("c-03", "douyin", "某宝搜店铺名就有", [("某宝", "diversion")], []),
    ("c-04", "xiaohongshu", "扣扣群号见评论", [("扣扣", "diversion")], []),
    ("c-05", "xiaohongshu", "v❤️：latte_2026", [("v❤️：latte_2026", "diversion")], []),
    ("c-06", "douyin", "徽信搜一搜同名", [("徽信", "diversion")], []),
    ("c-07", "xiaohongshu", "加个绿泡泡聊聊细节", [("绿泡泡", "diversion")], []),
    ("c-08", "xiaohongshu", "私聊发你试用装", [("私聊发你", "diversion")], []),
    ("c-09", "douyin", "抖音搜不到的去快手找我", [("快手", "diversion")], []),
    ("c-10", "xiaohongshu", "tao宝下单有赠品", [("tao宝", "diversion")], []),
    ("c-11", "xiaohongshu", "戳头像进群领福利", [("头像", "diversion")], []),
    ("c-12", "xiaohongshu", "这支口红的色号就是我头像里那支", [], ["头像"]),
    ("c-13", "douyin", "主页橱窗有同款", [], ["主页"]),
    ("c-14", "wechat", "转发朋友圈并集齐20个赞，截图找客服领奖", [("集齐20个赞", "diversion")], []),
    ("c-15", "wechat", "分享到3个微信群即可免费领取", [("分享到3个微信群", "diversion")], []),
    ("c-16", "wechat", "点个在看，分享给更多朋友", [], ["分享给"]),
    ("c-17", "douyin", "评论区扣“想要”，私发链接", [("私发", "diversion")], []),
    ("c-18", "xiaohongshu", "加vx：latte88", [("vx", "diversion")], []),
    # Medical, efficacy, guarantees
    ("c-19", None, "喝一周，失眠全好了", [("失眠全好了", "medical")], []),
    ("c-20", None, "三天见效，斑点淡化", [("三天见效", "guarantee")], []),
    ("c-21", None, "比打针还管用", [("比打针还管用", "medical")], []),
    ("c-22", None, "降血压效果明显", [("降血压", "medical")], []),
    ("c-23", None, "吃了不长胖，还能燃脂", [("燃脂", "efficacy")], []),
    ("c-24", None, "一杯下肚，暖到心里", [], ["暖到心里"]),
    ("c-25", None, "无效退款，效果看得见", [("无效退款", "guarantee")], []),
    ("c-26", None, "保证一个月瘦10斤", [("保证一个月瘦10斤", "efficacy")], []),
    ("c-27", None, "百分百有效", [("百分百有效", "extreme_quality")], []),
    ("c-28", None, "有效率高达98%", [("有效率高达98%", "efficacy")], []),
    # Rankings, superlatives, absolute words
    ("c-29", None, "销量遥遥领先", [("遥遥领先", "extreme_quality")], []),
    ("c-30", None, "全省第一家", [("第一家", "first_authority")], []),
    ("c-31", None, "业内公认最好的磨豆机", [("最好", "superlative")], []),
    ("c-32", None, "史上最低价", [("史上最低价", "superlative")], []),
    ("c-33", None, "全网最低", [("全网最低", "superlative")], []),
    ("c-34", None, "顶级工艺", [("顶级", "extreme_quality")], []),
    ("c-35", None, "万能的清洁神器", [("万能", "extreme_quality")], []),
    ("c-36", None, "独家秘方", [("独家", "first_authority")], []),
    ("c-37", None, "全国销量冠军", [("销量冠军", "ranking")], []),
    ("c-38", None, "Top1的口碑", [("Top1", "ranking")], []),
    ("c-39", None, "No.1人气单品", [("No.1", "ranking")], []),
    ("c-40", None, "我们最多支持3种颜色", [], ["最多"]),
    ("c-41", None, "最后3天，错过等一年", [("错过等一年", "false_urgency")], ["最后3天"]),
    ("c-42", None, "全场仅此一次", [("仅此一次", "false_urgency")], []),
    ("c-43", None, "国家级非遗传承人手作", [], ["国家级"]),
    ("c-44", None, "省级专精特新企业", [], ["省级"]),
    ("c-45", None, "国家免检产品", [("国家免检", "endorsement")], []),
    ("c-46", None, "央视推荐品牌", [("央视推荐", "endorsement")], []),
    ("c-47", None, "医生推荐的护眼茶", [("医生推荐", "endorsement")], []),
    ("c-48", None, "稳赚不赔的理财课", [("稳赚不赔", "finance")], []),
    ("c-49", None, "年化收益15%，保本保息", [("保本保息", "finance")], []),
    # Numbers are tokens; ordinary words beside listed ones
    ("c-50", None, "第11届咖啡节", [], ["第11"]),
    ("c-51", None, "我们的第一家门店开在西湖边", [], ["第一家"]),
    ("c-52", None, "电池从0%到80%只要30分钟", [], ["80%"]),
    ("c-53", None, "羊毛含量100%", [], ["100%"]),
    ("c-54", None, "TOP3城市门店同步开业", [], ["TOP3"]),
    ("c-55", None, "5折起，最低到99元", [], ["最低"]),
    ("c-56", None, "第1次下单立减10元", [], ["第1"]),
    ("c-57", None, "排名第3的城市是成都", [], ["第3"]),
    ("c-58", "xiaohongshu", "震惊！这杯咖啡竟然这么好喝", [("震惊", "title_party")], []),
    ("c-59", "weibo", "速看！再不看就删了", [("再不看就删了", "title_party")], []),
    ("c-60", "wechat", "99%的人都不知道的冲泡方法", [("99%的人都不知道", "title_party")], []),
    ("c-61", None, "这是本店最受欢迎的一款", [("最受欢迎", "superlative")], []),
    ("c-62", None, "最近上新了三款冬日特调", [], ["最近"]),
    ("c-63", None, "最好在48小时内喝完", [], ["最好"]),
    ("c-64", None, "第一步，把豆子磨成粉", [], ["第一步"]),
    ("c-65", "douyin", "关注我，每天分享一个咖啡知识", [], ["关注我"]),
    ("c-66", None, "全国200多家门店通用", [], ["全国"]),
]
