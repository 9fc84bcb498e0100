"""The business: one module per capability. Importing this package declares every command.

The order is the order of groups in 帮助 and of demo seeders (metrics before the targets on them).
"""

from handlers import (  # noqa: F401
    calendar,
    compliance,
    drafts,
    help,
    kpi,
    metrics,
    push,
    reminders,
    reports,
    team,
    titles,
    wechat_mp,
)
