"""Teams, people and roles; the inbox, the outbox; the key/value cache for tokens."""


def up(db):
    db.executescript(
        """
        CREATE TABLE teams (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            tenant TEXT NOT NULL DEFAULT '',
            chat_id TEXT NOT NULL,
            chat_type TEXT NOT NULL DEFAULT 'group',
            name TEXT NOT NULL DEFAULT '',
            tz TEXT NOT NULL DEFAULT 'Asia/Shanghai',
            is_demo INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL,
            UNIQUE (platform, tenant, chat_id)
        );
        CREATE TABLE people (
            team_id INTEGER NOT NULL REFERENCES teams(id),
            user_id TEXT NOT NULL,
            name TEXT NOT NULL DEFAULT '',
            role TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('member', 'manager', 'admin')),
            role_by TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (team_id, user_id)
        );
        CREATE TABLE inbox (
            id INTEGER PRIMARY KEY,
            platform TEXT NOT NULL,
            message_key TEXT NOT NULL,
            channel TEXT NOT NULL,
            chat_key TEXT NOT NULL,
            payload TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'new'
                CHECK (status IN ('new', 'working', 'done', 'ignored', 'failed')),
            attempts INTEGER NOT NULL DEFAULT 0,
            lease_until TEXT,
            received_at TEXT NOT NULL,
            handled_at TEXT,
            error TEXT,
            UNIQUE (platform, message_key)
        );
        CREATE INDEX inbox_status ON inbox (status, id);
        CREATE INDEX inbox_chat ON inbox (chat_key, id);
        CREATE TABLE outbox (
            id INTEGER PRIMARY KEY,
            inbox_id INTEGER REFERENCES inbox(id),
            team_id INTEGER REFERENCES teams(id),
            channel TEXT NOT NULL,
            chat_key TEXT NOT NULL,
            target TEXT NOT NULL,
            reply TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'reply',
            status TEXT NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'sending', 'sent', 'dead')),
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at TEXT NOT NULL,
            lease_until TEXT,
            last_error TEXT,
            created_at TEXT NOT NULL,
            sent_at TEXT
        );
        CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
        CREATE INDEX outbox_chat ON outbox (chat_key, id);
        CREATE INDEX outbox_inbox ON outbox (inbox_id);
        CREATE TABLE kv (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL,
            expires_at TEXT
        );
        """
    )
