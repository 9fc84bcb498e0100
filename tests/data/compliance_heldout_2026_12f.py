"""An eighth set, written in session 9 after the fix against the seventh, before scoring it. Same form
as ``compliance_cases.py``.

Scored untuned on aea2a52: 13 of 23 flags raised (10 silent misses: 主页置顶 after 不方便说, 帮忙助力,
痘印全消, 改善睡眠, 增强免疫力, 胃胀气明显缓解, 没有任何添加, 效果不好全额退款, 顶尖, 99%的人都用错了)
and all 7 clean fragments left alone. 世界级 was raised as first_authority, not the extreme_quality
guessed here; that expectation was changed after scoring. Fixed against it after.
"""

CASES = [
    ("f-01", "xiaohongshu", "链接在我简介第二行", [("简介", "diversion")], []),
    ("f-02", "douyin", "不方便说的都在我主页置顶视频里", [("置顶", "diversion")], []),
    ("f-03", "xiaohongshu", "某东自营有货", [("某东", "diversion")], []),
    ("f-04", "xiaohongshu", "想要原图的评论区扣1，我私发", [("私发", "diversion")], []),
    ("f-05", "xiaohongshu", "wx：latte_lab（备注小红书）", [("wx：latte_lab", "diversion")], []),
    ("f-06", "douyin", "某书上我也有发，id同名", [("某书", "diversion")], []),
    ("f-07", "wechat", "把这篇文章分享到5个群，截图给客服领奖", [("分享到5个群", "diversion")], []),
    ("f-08", "wechat", "好友帮忙助力3次即可解锁", [("助力", "diversion")], []),
    ("f-09", "xiaohongshu", "宝子们可以去我主页看看往期笔记", [], ["主页"]),
    ("f-10", None, "坚持敷一周，痘印全消了", [("痘印全消", "efficacy")], []),
    ("f-11", None, "改善睡眠质量，一觉到天亮", [("改善睡眠", "medical")], []),
    ("f-12", None, "增强免疫力，少生病", [("增强免疫力", "medical")], []),
    ("f-13", None, "喝了以后胃胀气明显缓解", [("胃胀气明显缓解", "medical")], []),
    ("f-14", None, "根治脚气不复发", [("根治脚气", "medical")], []),
    ("f-15", None, "孕妇儿童都可以放心吃，没有任何添加", [("没有任何添加", "extreme_quality")], []),
    ("f-16", None, "效果不好全额退款", [("效果不好全额退款", "guarantee")], []),
    ("f-17", None, "保底年化12%", [("保底年化12%", "finance")], []),
    ("f-18", None, "全城最低价", [("最低价", "superlative")], []),
    ("f-19", None, "行业内独一无二的工艺", [("独一无二", "ranking")], []),
    ("f-20", None, "本年度最值得买的咖啡机", [("最值得买", "superlative")], []),
    ("f-21", None, "顶尖咖啡师团队", [("顶尖", "extreme_quality")], []),
    ("f-22", None, "世界级品质", [("世界级", "first_authority")], []),
    ("f-23", None, "我们的第3家店开业了", [], ["第3家"]),
    ("f-24", None, "最晚23点前下单当天发货", [], ["最晚"]),
    ("f-25", None, "第一时间通知大家", [], ["第一时间"]),
    ("f-26", None, "首单立减5元", [], ["首单"]),
    ("f-27", None, "满意度98%", [], ["98%"]),
    ("f-28", None, "2小时送达", [], ["2小时"]),
    ("f-29", "weibo", "突发！刚刚宣布", [("刚刚", "title_party")], []),
    ("f-30", "xiaohongshu", "99%的人都用错了的磨豆机", [("99%的人都用错了", "title_party")], []),
]
