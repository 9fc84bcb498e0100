"""Time as people say it, shared by every capability: ``parse`` (a package of ordered passes that
reads 「每周三下午3点」 and 「next Friday 9am」 into a :class:`~handlers.shared.time.parse.reading.Reading`),
``fmt`` (a moment said back in Chinese), ``days`` (the days and periods named when entering or
looking up numbers, and what a period is compared with).

The workday calendar (调休) is ``bot.workdays``: the dispatcher's rules need it too.
"""
