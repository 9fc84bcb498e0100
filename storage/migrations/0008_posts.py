"""Per-post data from exports: each post's lifetime totals as of an import, kept apart from daily activity."""


def up(db):
    db.executescript(
        """
        CREATE TABLE posts (
            id INTEGER PRIMARY KEY,
            account_id INTEGER NOT NULL REFERENCES accounts(id),
            title TEXT NOT NULL,
            published_at TEXT NOT NULL,
            metrics TEXT NOT NULL DEFAULT '{}',
            as_of TEXT NOT NULL,
            UNIQUE (account_id, title, published_at)
        );
        CREATE INDEX posts_published ON posts (account_id, published_at);
        """
    )
