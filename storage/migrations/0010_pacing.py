"""Send pacing shared by every worker process: the next moment each key (a chat, a member, an app)
may be sent to, in seconds since the epoch. One table for SQLite and PostgreSQL alike."""


def up(db):
    db.executescript(
        """
        CREATE TABLE pacing (
            key TEXT PRIMARY KEY,
            next_at REAL NOT NULL
        );
        """
    )
