"""A third set, written on 2026-12-04 before issue 22's compliance change, from copy nobody had
fed the rules: evasions of the diversion rules as classes (pointing at the profile, other apps by
nickname, contact by initials), claims in paraphrase, official designations, numbers as tokens.

Same form as ``compliance_cases.py``: (id, platform key or None, text, [(fragment, category) that
must be flagged], [fragments that must not be touched]). A missed flag is silently wrong (the
check answers ✅); a touched clean fragment is a false alarm.
"""

CASES = [
    # Pointing at the profile, the avatar, the bio or a pinned comment for what cannot be said here
    ("h-01", "xiaohongshu", "戳我头像，主页有惊喜", [("头像", "diversion")], []),
    ("h-02", "xiaohongshu", "想要链接的姐妹看我简介", [("简介", "diversion")], []),
    ("h-03", "douyin", "福利怎么领？看我主页简介", [("简介", "diversion")], []),
    ("h-04", "xiaohongshu", "购买方式在置顶评论里", [("置顶", "diversion")], []),
    ("h-05", "xiaohongshu", "更多穿搭欢迎逛逛我的主页", [], ["主页"]),
    ("h-06", "douyin", "头像同款滤镜叫「清透」", [], ["头像"]),
    ("h-07", "xiaohongshu", "我的主页还有更多冬日饮品", [], ["主页"]),
    ("h-08", "douyin", "戴上这顶帽子，拍头像都好看了", [], ["头像"]),
    # Other apps by nickname
    ("h-09", "xiaohongshu", "蓝色软件上搜店名就能找到", [("蓝色软件", "diversion")], []),
    ("h-10", "douyin", "小蓝书上有完整教程", [("小蓝书", "diversion")], []),
    ("h-11", "xiaohongshu", "橙色软件下单更便宜", [("橙色软件", "diversion")], []),
    ("h-12", "xiaohongshu", "去某夕夕拼单只要九块九", [("某夕夕", "diversion")], []),
    ("h-13", "douyin", "我在红薯上也发了同款教程", [("红薯", "diversion")], []),
    ("h-14", "douyin", "冬天来一个烤红薯配热可可", [], ["红薯"]),
    ("h-15", "xiaohongshu", "dy搜同名账号看视频版", [("dy搜", "diversion")], []),
    ("h-16", "xiaohongshu", "细节去绿色软件聊", [("绿色软件", "diversion")], []),
    ("h-17", "xiaohongshu", "某团上有团购券", [("某团", "diversion")], []),
    # Contact by initials and homophones
    ("h-18", "xiaohongshu", "+V领取试用装", [("+V", "diversion")], []),
    ("h-19", "douyin", "有需要的dd", [("dd", "diversion")], []),
    ("h-20", "xiaohongshu", "V信同号，备注小红书", [("V信", "diversion")], []),
    ("h-21", "xiaohongshu", "威❤：nuandong1234", [("威❤：nuandong1234", "diversion")], []),
    ("h-22", "douyin", "wei信搜nuandong", [("wei信", "diversion")], []),
    ("h-23", "xiaohongshu", "评论区扣1，我挨个私你", [("私你", "diversion")], []),
    ("h-24", "xiaohongshu", "卫星：nuandong88", [("卫星", "diversion")], []),
    ("h-25", "weibo", "有意合作请私信", [], ["私信"]),
    ("h-26", "xiaohongshu", "私发攻略给你们", [("私发", "diversion")], []),
    ("h-27", "douyin", "添加VX：nuandong_88", [("VX", "diversion")], []),
    # Inducing shares on 公众号
    ("h-28", "wechat", "转发本条到朋友圈，集满30个赞，到店领取饮品一杯", [("集满30个赞", "diversion")], []),
    ("h-29", "wechat", "分享给3个好友即可解锁全文", [("分享给3个好友", "diversion")], []),
    ("h-30", "wechat", "关注公众号并转发此文，截图发后台即可参与抽奖", [("转发此文", "diversion")], []),
    ("h-31", "wechat", "扫码关注，回复“福利”领取资料", [], ["扫码"]),
    ("h-32", "wechat", "觉得有用就转给需要的朋友吧", [], ["转给"]),
    # Medical and guarantee claims in paraphrase
    ("h-33", None, "这款茶比吃药还管用", [("比吃药还管用", "medical")], []),
    ("h-34", None, "睡前一杯，告别失眠", [("告别失眠", "medical")], []),
    ("h-35", None, "孕妇也能放心喝，无任何副作用", [("无任何副作用", "medical")], []),
    ("h-36", None, "无效全额退款，放心入", [("无效全额退款", "guarantee")], []),
    ("h-37", None, "不满意7天包退", [], ["包退"]),
    ("h-38", None, "坚持喝一个月，胃病好了大半", [("胃病好了", "medical")], []),
    ("h-39", None, "无效不收费", [("无效不收费", "guarantee")], []),
    # Rankings and superlatives in paraphrase
    ("h-40", None, "品质全国领先", [("全国领先", "ranking")], []),
    ("h-41", None, "行业领先的烘焙技术", [("行业领先", "ranking")], []),
    ("h-42", None, "全市销量Ｎｏ．１", [("Ｎｏ．１", "ranking")], []),
    ("h-43", None, "同类产品里排名TOP 1", [("TOP 1", "ranking")], []),
    ("h-44", None, "国内首款自研磨豆机", [("首款", "first_authority")], []),
    ("h-45", None, "全网独一份的配方", [("独一份", "ranking")], []),
    ("h-46", None, "性价比之王", [("之王", "ranking")], []),
    ("h-47", None, "这是我喝过最顺滑的燕麦拿铁", [("最顺滑", "superlative")], []),
    ("h-48", None, "店里最香浓的一款豆子", [("最香浓", "superlative")], []),
    ("h-49", None, "同事们最爱的一款是桂花拿铁", [], ["最爱"]),
    ("h-50", None, "天花板级别的口感", [("天花板", "extreme_quality")], []),
    # Official designations: a real title is a fact; 国家级 as an adjective is a claim
    ("h-51", None, "国家级非物质文化遗产代表性传承人王师傅亲手制作", [], ["国家级"]),
    ("h-52", None, "公司是国家级高新技术企业", [], ["国家级"]),
    ("h-53", None, "荣获国家级非遗称号", [], ["国家级"]),
    ("h-54", None, "国家级配方，调理身体", [("国家级", "first_authority")], []),
    ("h-55", None, "中国驰名商标", [("驰名商标", "first_authority")], []),
    ("h-56", None, "入选国家级专精特新“小巨人”企业名单", [], ["国家级"]),
    # Numbers are tokens
    ("h-57", None, "这是我们第12次参加展会", [], ["第12"]),
    ("h-58", None, "从1%充到100%只需要19分钟", [], ["100%"]),
    ("h-59", None, "这款T恤100%纯棉", [], ["100%"]),
    ("h-60", None, "好评率100%", [("100%", "extreme_quality")], []),
    ("h-61", None, "第10名起不再发奖", [], ["第10"]),
    ("h-62", None, "TOP10榜单里唯一的国货", [("唯一", "ranking")], ["TOP10"]),
    ("h-63", None, "满意度达到99.9%", [], ["99.9%"]),
    # Ordinary words around the listed ones
    ("h-64", None, "最后一班地铁是23点", [], ["最后"]),
    ("h-65", None, "第一次做拿铁拉花的朋友看这里", [], ["第一次"]),
    ("h-66", "douyin", "关注我，下期教你做冷萃", [], ["关注我"]),
    ("h-67", None, "限时三天：12月5日至12月7日", [], ["限时"]),
    ("h-68", None, "最多可以存10杯", [], ["最多"]),
]
