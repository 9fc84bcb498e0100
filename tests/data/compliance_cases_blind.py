"""A second set, written after the rules changed, with phrasings the rules were not built on.

Same form as ``compliance_cases.py``; reported separately so the first set's score is not the only
measure of how the rules generalise.
"""

CASES = [
    ("b-01", None, "行业唯一获得双认证的品牌", [("唯一", "ranking")], []),
    ("b-02", None, "口碑第一，好评如潮", [("第一", "ranking")], []),
    ("b-03", None, "全城最低，仅限今天", [("最低", "superlative")], []),
    ("b-04", None, "这一步最关键：先打发奶泡", [], ["这一步"]),
    ("b-05", None, "喝了能降血压", [("降血压", "medical")], []),
    ("b-06", None, "祛痘神器，三天见效", [("祛痘", "efficacy")], []),
    ("b-07", None, "稳赚不亏的副业", [("稳赚", "finance")], []),
    ("b-08", None, "第1次参加咖啡节", [], ["第1次"]),
    ("b-09", None, "第一排的观众有惊喜", [], ["第一排"]),
    ("b-10", None, "满200最高返30元", [], ["最高返30元"]),
    ("b-11", None, "年度冠军单品", [("冠军", "ranking")], []),
    ("b-12", None, "完美的奶泡比例", [("完美", "extreme_quality")], []),
    ("b-13", "xiaohongshu", "VX：nd_coffee 领优惠", [("VX", "diversion")], []),
    ("b-14", "xiaohongshu", "去某东搜同款", [("某东", "diversion")], []),
    ("b-15", "xiaohongshu", "评论区告诉我你最爱的口味", [], ["评论区"]),
    ("b-16", "xiaohongshu", "滴滴我拿攻略", [("滴滴我", "diversion")], []),
    ("b-17", "douyin", "扫一扫下方二维码", [("扫一扫", "diversion")], []),
    ("b-18", "douyin", "京东旗舰店有货", [("京东旗舰店", "diversion")], []),
    ("b-19", "douyin", "关注我，每天分享一杯咖啡", [], ["关注我"]),
    ("b-20", "wechat", "长按识别二维码关注", [], ["二维码"]),
    ("b-21", "wechat", "分享到群里，集满20个赞送券", [("分享到群", "diversion")], []),
    ("b-22", "wechat", "刚刚！门店上新\n正文", [("刚刚", "title_party")], []),
    ("b-23", "weibo", "联系电话 021-63216321", [("021-63216321", "diversion")], []),
    ("b-24", None, "这是我们最受欢迎的口味", [("最受欢迎", "superlative")], []),
    ("b-25", None, "万能的奶泡壶", [("万能", "extreme_quality")], []),
    ("b-26", None, "第一名的奖品是一年免费咖啡（点赞最多者）", [], []),
    ("b-27", "xiaohongshu", "主页有联系方式", [], []),
    ("b-28", None, "唯一的要求是新鲜", [], ["唯一的要求"]),
]
