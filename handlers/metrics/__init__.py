"""Numbers: metric entry and import, lookups and charts, KPI targets with feasibility, reports, the 公众号 API.

Pure core: ``vocab`` (metrics and units), ``dates`` (days and periods), ``analytics`` (increments,
trailing history, feasibility), ``charts``, ``importer`` (CSV exports), ``wechat_mp`` (the
datacube client); ``accounts`` reads which account a person means. Commands: ``record_commands`` (记录, 确认), ``metric_commands`` (数据, 作品, 图表), ``kpi_commands`` (目标, 汇总),
``report_commands`` (订阅), ``import_commands`` (导入 a file sent in the chat), ``wechat_commands`` (绑定公众号 and its daily pull); ``review_commands`` (复盘, 关联) over ``shared.results`` and ``shared.matching``; ``tools`` is
``xiaobian import-metrics``.
"""

from __future__ import annotations


def register(registry) -> None:
    from handlers.metrics import (
        demo_season,
        import_commands,
        kpi_commands,
        metric_commands,
        record_commands,
        report_commands,
        review_commands,
        tools,
        wechat_commands,
    )

    # metrics before the targets on them: the demo seeders run in this order
    for module in (
        record_commands,
        metric_commands,
        import_commands,
        kpi_commands,
        report_commands,
        demo_season,
        review_commands,
        wechat_commands,
    ):
        registry.add_module(module)
    registry.add_tool(tools.IMPORT_METRICS)
