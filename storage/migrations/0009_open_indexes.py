"""Partial indexes over the rows still in play, so a claim reads only open rows however long the history.

The claim queries in ``storage.inbox`` and ``storage.outbox`` repeat each index's WHERE term
literally (``status IN (...)``): that is how SQLite knows a partial index may serve them.
"""


def up(db) -> None:
    db.executescript(
        """
        CREATE INDEX inbox_open ON inbox (chat_key, id) WHERE status IN ('new', 'working');
        CREATE INDEX inbox_open_order ON inbox (id) WHERE status IN ('new', 'working');
        CREATE INDEX outbox_open ON outbox (chat_key, id) WHERE status IN ('pending', 'sending');
        CREATE INDEX outbox_open_due ON outbox (next_attempt_at, id) WHERE status IN ('pending', 'sending');
        CREATE INDEX outbox_closed ON outbox (sent_at) WHERE status IN ('sent', 'dead');
        CREATE INDEX inbox_closed ON inbox (received_at) WHERE status IN ('done', 'ignored', 'failed');
        -- what the partial indexes above now serve; fewer indexes make the ack's INSERT cheaper
        DROP INDEX inbox_status;
        DROP INDEX inbox_chat;
        DROP INDEX outbox_due;
        DROP INDEX outbox_chat;
        """
    )
