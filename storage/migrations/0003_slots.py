"""Publishing slots: a team's weekly rhythm per platform."""


def up(db):
    db.executescript(
        """
        CREATE TABLE slots (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            platform TEXT NOT NULL,
            days TEXT NOT NULL,
            at TEXT NOT NULL,
            owner TEXT NOT NULL,
            owner_name TEXT NOT NULL DEFAULT '',
            lead_minutes INTEGER NOT NULL DEFAULT 120,
            schedule_id INTEGER REFERENCES schedules(id),
            active INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL,
            created_at TEXT NOT NULL
        );
        CREATE INDEX slots_team ON slots (team_id, active);
        """
    )
