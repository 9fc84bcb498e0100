"""A post's life in one record: an exported post knows its publish time of day, its link and the
draft that made it (matched by link, or by platform + title + day, or confirmed in the chat)."""


def up(db):
    db.executescript(
        """
        ALTER TABLE posts ADD COLUMN published_time TEXT;
        ALTER TABLE posts ADD COLUMN link TEXT;
        ALTER TABLE posts ADD COLUMN draft_id INTEGER REFERENCES drafts(id);
        ALTER TABLE posts ADD COLUMN matched_by TEXT;
        CREATE INDEX posts_draft ON posts (draft_id);
        """
    )
