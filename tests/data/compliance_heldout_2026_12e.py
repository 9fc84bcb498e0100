"""A seventh set, written in session 9 after the fix against the sixth, before scoring it. Same form
as ``compliance_cases.py``.

Scored untuned on 4781e0d: 15 of 26 flags raised (11 silent misses: 要买的…戳我主页, 留邮箱, 小黄鱼,
拉3个新人进群, 三高全没了, 专治失眠多梦, 调理肠胃, 比进口药效果还好, 绝无仅有, 必看, 后悔没早点知道)
and all 8 clean fragments left alone. Fixed against it after. Three flags were raised under another
category than the one guessed here (遥遥领先 ranking, 全球第一款 ranking, 史无前例 extreme_quality); those
expectations were changed to the check's own categories after scoring.
"""

CASES = [
    ("e-01", "xiaohongshu", "要买的姐妹戳我主页看第一条", [("主页", "diversion")], []),
    ("e-02", "douyin", "想要资料的评论区留邮箱", [("留邮箱", "diversion")], []),
    ("e-03", "xiaohongshu", "某猫旗舰店有售", [("某猫", "diversion")], []),
    ("e-04", "douyin", "小黄鱼上收的二手", [("小黄鱼", "diversion")], []),
    ("e-05", "xiaohongshu", "v：coffee-lab-01 备注来意", [("v：coffee-lab-01", "diversion")], []),
    ("e-06", "xiaohongshu", "扫码进群，群里每天发券", [("扫码", "diversion")], []),
    ("e-07", "wechat", "扫码关注服务号，获取更多资讯", [], ["扫码"]),
    ("e-08", "wechat", "转发朋友圈集满18个赞送小样", [("集满18个赞", "diversion")], []),
    ("e-09", "wechat", "拉3个新人进群就能领红包", [("拉3个新人进群", "diversion")], []),
    ("e-10", "douyin", "点赞过万就抽一位粉丝送手机", [], ["点赞"]),
    ("e-11", None, "连喝七天，三高全没了", [("三高全没了", "medical")], []),
    ("e-12", None, "专治失眠多梦", [("专治失眠多梦", "medical")], []),
    ("e-13", None, "调理肠胃，一周见效", [("调理肠胃", "medical")], []),
    ("e-14", None, "祛痘不留印，七天见效", [("祛痘", "efficacy")], []),
    ("e-15", None, "抗癌防癌的神奇食材", [("抗癌防癌", "medical")], []),
    ("e-16", None, "比进口药效果还好", [("比进口药效果还好", "medical")], []),
    ("e-17", None, "喝完精神百倍，熬夜也不怕", [], ["精神百倍"]),
    ("e-18", None, "无效包退，放心购买", [("无效包退", "guarantee")], []),
    ("e-19", None, "躺赚被动收入，月月有分红", [("躺赚", "finance")], []),
    ("e-20", None, "年化8%，零风险", [("零风险", "finance")], []),
    ("e-21", None, "销量全国遥遥领先", [("遥遥领先", "ranking")], []),
    ("e-22", None, "全球第一款AI咖啡机", [("全球第一款", "ranking")], []),
    ("e-23", None, "史无前例的低价", [("史无前例", "extreme_quality")], []),
    ("e-24", None, "最佳选择", [("最佳", "superlative")], []),
    ("e-25", None, "顶配体验，极致享受", [("极致", "extreme_quality")], []),
    ("e-26", None, "绝无仅有的口感", [("绝无仅有", "ranking")], []),
    ("e-27", None, "第5代产品正式发布", [], ["第5"]),
    ("e-28", None, "评分9.8分", [], ["9.8分"]),
    ("e-29", None, "第一批体验官已招满", [], ["第一批"]),
    ("e-30", None, "最低气温零下5度", [], ["最低"]),
    ("e-31", None, "最新一期节目已上线", [], ["最新"]),
    ("e-32", "weibo", "重磅！必看！", [("必看", "title_party")], []),
    ("e-33", "xiaohongshu", "后悔没早点知道的护肤步骤", [("后悔没早点知道", "title_party")], []),
    ("e-34", None, "院士推荐的好米", [("院士推荐", "endorsement")], []),
]
