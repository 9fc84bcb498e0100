"""Accounts, metric entries (append-only, so corrections keep history) with the current value per day, targets."""


def up(db):
    db.executescript(
        """
        CREATE TABLE accounts (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            platform TEXT NOT NULL,
            name TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (team_id, platform, name)
        );
        CREATE TABLE metric_entries (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            day TEXT NOT NULL,
            metric TEXT NOT NULL,
            value INTEGER NOT NULL,
            source TEXT NOT NULL CHECK (source IN ('chat', 'csv', 'api', 'demo')),
            entered_by TEXT NOT NULL,
            entered_at TEXT NOT NULL
        );
        CREATE INDEX metric_entries_key ON metric_entries (account_id, metric, day);
        CREATE TABLE metric_current (
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            metric TEXT NOT NULL,
            day TEXT NOT NULL,
            value INTEGER NOT NULL,
            entry_id INTEGER NOT NULL REFERENCES metric_entries(id),
            PRIMARY KEY (account_id, metric, day)
        ) WITHOUT ROWID;
        CREATE TABLE targets (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            metric TEXT NOT NULL,
            mode TEXT NOT NULL CHECK (mode IN ('level', 'growth', 'total')),
            target INTEGER NOT NULL,
            base INTEGER NOT NULL DEFAULT 0,
            start_day TEXT NOT NULL,
            deadline TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX targets_team ON targets (team_id, active);
        """
    )
