"""Where a team's scheduled pushes go when no long connection serves it: a group robot or custom bot webhook."""


def up(db):
    db.executescript(
        """
        CREATE TABLE push_targets (
            team_id INTEGER PRIMARY KEY REFERENCES teams(id),
            kind TEXT NOT NULL CHECK (kind IN ('wecom_robot', 'feishu_bot')),
            url TEXT NOT NULL,
            secret TEXT NOT NULL DEFAULT '',
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        """
    )
