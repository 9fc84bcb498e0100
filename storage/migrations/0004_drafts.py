"""Drafts with versions and a history of who moved them where; the team's headline templates."""


def up(db):
    db.executescript(
        """
        CREATE TABLE drafts (
            id INTEGER PRIMARY KEY,
            team_id INTEGER NOT NULL REFERENCES teams(id),
            number INTEGER NOT NULL,
            platform TEXT NOT NULL,
            title TEXT NOT NULL DEFAULT '',
            body TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            extra TEXT NOT NULL DEFAULT '{}',
            brief TEXT NOT NULL DEFAULT '{}',
            template TEXT NOT NULL DEFAULT '',
            title_template TEXT,
            source TEXT NOT NULL DEFAULT 'template',
            author TEXT NOT NULL,
            author_name TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN
                ('draft', 'review', 'approved', 'returned', 'scheduled', 'published', 'archived')),
            version INTEGER NOT NULL DEFAULT 1,
            parent_id INTEGER REFERENCES drafts(id),
            scheduled_at TEXT,
            published_url TEXT,
            published_at TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL,
            UNIQUE (team_id, number)
        );
        CREATE INDEX drafts_team ON drafts (team_id, status);
        CREATE TABLE draft_versions (
            id INTEGER PRIMARY KEY,
            draft_id INTEGER NOT NULL REFERENCES drafts(id),
            version INTEGER NOT NULL,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            tags TEXT NOT NULL,
            extra TEXT NOT NULL,
            edited_by TEXT NOT NULL,
            created_at TEXT NOT NULL,
            UNIQUE (draft_id, version)
        );
        CREATE TABLE draft_events (
            id INTEGER PRIMARY KEY,
            draft_id INTEGER NOT NULL REFERENCES drafts(id),
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            actor_name TEXT NOT NULL DEFAULT '',
            from_status TEXT,
            to_status TEXT,
            note TEXT NOT NULL DEFAULT '',
            at TEXT NOT NULL
        );
        CREATE INDEX draft_events_draft ON draft_events (draft_id, id);
        CREATE TABLE title_templates (
            id INTEGER PRIMARY KEY,
            team_id INTEGER REFERENCES teams(id),
            key TEXT NOT NULL,
            family TEXT NOT NULL,
            pattern TEXT NOT NULL,
            active INTEGER NOT NULL DEFAULT 1,
            created_by TEXT NOT NULL DEFAULT '',
            created_at TEXT NOT NULL
        );
        CREATE INDEX title_templates_team ON title_templates (team_id, active);
        """
    )
