"""A ninth set, written in session 9 after the doubt layer, before scoring it. Same form as
``compliance_cases.py``.

Scored untuned on 3668519: the rules raised 7 of 22 flags; of the 15 they missed, the doubt layer named
3 for a person (血压降到正常, 补钙效果是牛奶的5倍, 教授联名推荐) and 12 passed silently. All 8 clean
fragments were left alone, and the doubt layer named 1 clean line (孕妇请咨询医生). Fixed against it
after, except the three below, which stay known misses: slang for a channel (瓶子), a subjective
beauty claim (嫩到发光) and 标杆, which is not on the published 极限词 lists. The test holds them to
exactly these three. 秒杀一切同类产品 is raised as false_urgency (秒杀), not the superlative guessed here;
that expectation was changed after scoring.
"""

KNOWN_MISSES = (
    "missed g-01: 瓶子 (diversion)",
    "missed g-09: 嫩到发光 (efficacy)",
    "missed g-19: 标杆 (extreme_quality)",
)

CASES = [
    ("g-01", "xiaohongshu", "同款在我瓶子里，懂的来", [("瓶子", "diversion")], []),
    ("g-02", "douyin", "想了解的家人们左下角小黄车看看", [], ["小黄车"]),
    ("g-03", "xiaohongshu", "购买渠道看我个人资料", [("个人资料", "diversion")], []),
    ("g-04", "xiaohongshu", "qq：88886666", [("qq：88886666", "diversion")], []),
    ("g-05", "douyin", "去某宝搜「暖冬咖啡」就有", [("某宝", "diversion")], []),
    ("g-06", "wechat", "分享到朋友圈并配上文字，凭截图到店领取", [("分享到朋友圈", "diversion")], []),
    ("g-07", None, "喝了三个月，血压降到正常", [("血压降到正常", "medical")], []),
    ("g-08", None, "长期饮用可以预防感冒", [("预防感冒", "medical")], []),
    ("g-09", None, "口服玻尿酸，皮肤嫩到发光", [("嫩到发光", "efficacy")], []),
    ("g-10", None, "一天瘦一斤，不节食不运动", [("一天瘦一斤", "efficacy")], []),
    ("g-11", None, "老人小孩都适合，延年益寿", [("延年益寿", "medical")], []),
    ("g-12", None, "补钙效果是牛奶的5倍", [("补钙效果是牛奶的5倍", "efficacy")], []),
    ("g-13", None, "不好喝不要钱", [("不好喝不要钱", "guarantee")], []),
    ("g-14", None, "投资一万，一年翻倍", [("一年翻倍", "finance")], []),
    ("g-15", None, "这杯拿铁是我心中的NO.1", [("NO.1", "ranking")], []),
    ("g-16", None, "口碑爆棚的王牌产品", [("王牌", "extreme_quality")], []),
    ("g-17", None, "全网独家首发", [("独家首发", "first_authority")], []),
    ("g-18", None, "秒杀一切同类产品", [("秒杀一切同类产品", "false_urgency")], []),
    ("g-19", None, "业界标杆级的咖啡机", [("标杆", "extreme_quality")], []),
    ("g-20", None, "教授联名推荐", [("教授联名推荐", "endorsement")], []),
    ("g-21", None, "中国十大咖啡品牌", [("十大", "ranking")], []),
    ("g-22", "weibo", "惊爆！咖啡居然可以这样喝", [("惊爆", "title_party")], []),
    ("g-23", "xiaohongshu", "看完我哭了，原来咖啡要这样冲", [("看完我哭了", "title_party")], []),
    ("g-24", None, "今年最后一次活动", [], ["最后一次"]),
    ("g-25", None, "我们第一次尝试冷萃", [], ["第一次"]),
    ("g-26", None, "限时三天，12月5日至7日", [], ["限时"]),
    ("g-27", None, "含咖啡因，孕妇请咨询医生", [], ["医生"]),
    ("g-28", None, "冷萃需要12小时以上", [], ["12小时"]),
    ("g-29", "douyin", "点击下方链接进入直播间", [], ["直播间"]),
    ("g-30", None, "本店支持7天无理由退换", [], ["7天无理由退换"]),
]
