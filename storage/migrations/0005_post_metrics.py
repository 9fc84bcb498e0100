"""Numbers of published posts, which credit the headline template that produced the title."""


def up(db):
    db.executescript(
        """
        CREATE TABLE post_metrics (
            draft_id INTEGER NOT NULL REFERENCES drafts(id),
            metric TEXT NOT NULL,
            value INTEGER NOT NULL,
            recorded_by TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (draft_id, metric)
        );
        """
    )
