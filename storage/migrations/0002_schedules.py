"""Scheduled rows: reminders, publishing-slot nudges, report pushes. The dispatcher's source of truth."""


def up(db):
    db.executescript(
        """
        CREATE TABLE schedules (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            kind TEXT NOT NULL,
            ref_id INTEGER,
            payload TEXT NOT NULL DEFAULT '{}',
            rule TEXT NOT NULL,
            tz TEXT NOT NULL,
            next_fire_at TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'done', 'cancelled')),
            created_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL,
            last_fired_at TEXT,
            fire_count INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX schedules_due ON schedules (status, next_fire_at);
        CREATE INDEX schedules_team ON schedules (team_id, kind, status);
        """
    )
