"""What ``/metrics`` shows, in Prometheus text format (prometheus-client).

Counters and histograms live in one registry per bot (tests build many bots in one process);
queue depths, dead replies and channel health are read from the database and the channels at
scrape time, so every process of a deployment reports the same numbers for them.
"""

from __future__ import annotations

from datetime import timedelta

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

from storage import inbox, outbox

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30)


class Metrics:
    def __init__(self, bot):
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.received = Counter(
            "xiaobian_events_received", "Inbound messages recorded", ["channel"], registry=r
        )
        self.deduped = Counter(
            "xiaobian_events_deduped",
            "Inbound messages already recorded (re-deliveries)",
            ["channel"],
            registry=r,
        )
        self.refused = Counter(
            "xiaobian_requests_refused",
            "Webhook requests refused (400/403/413)",
            ["route", "status"],
            registry=r,
        )
        self.sent = Counter("xiaobian_replies_sent", "Outbox rows delivered", ["channel"], registry=r)
        self.retried = Counter(
            "xiaobian_replies_retried", "Failed sends put back for a retry", ["channel"], registry=r
        )
        self.rate_limited = Counter(
            "xiaobian_replies_rate_limited",
            "Sends that waited for a platform rate limit",
            ["channel"],
            registry=r,
        )
        self.dead = Counter(
            "xiaobian_replies_dead", "Outbox rows given up on", ["channel", "kind"], registry=r
        )
        self.handler = Histogram(
            "xiaobian_handler_seconds",
            "Time to handle one inbox message",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.ack = Histogram(
            "xiaobian_ack_seconds",
            "Time to answer a webhook request",
            ["route"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.delivery = Histogram(
            "xiaobian_delivery_seconds",
            "Time for one send attempt",
            ["channel"],
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        r.register(_StateCollector(bot))
        self._bot = bot

    def render(self) -> bytes:
        """The exposition. In a process that runs no workers (``serve``'s web process), the workers'
        own families (sends, retries, handler and delivery times) are the worker process's, as it
        last published them (every 5 s)."""
        text = generate_latest(self.registry)
        published = self._bot.published_status() is not None and self._published_counters()
        if not published:
            return text
        theirs = _families(published)
        return b"".join(
            theirs.get(name, block) if name in WORKER_FAMILIES else block
            for name, block in _families(text).items()
        )

    def render_worker_families(self) -> bytes:
        """This process's worker-side families, for the web process to show."""
        mine = _families(generate_latest(self.registry))
        return b"".join(block for name, block in mine.items() if name in WORKER_FAMILIES)

    def _published_counters(self) -> bytes | None:
        from storage import kv

        value = kv.get(self._bot.db, "metrics:workers", now=self._bot.now())
        return value.encode() if value is not None else None


# families counted by the process that handles and sends (serve's worker process)
WORKER_FAMILIES = frozenset(
    {
        "xiaobian_replies_sent",
        "xiaobian_replies_retried",
        "xiaobian_replies_rate_limited",
        "xiaobian_replies_dead",
        "xiaobian_handler_seconds",
        "xiaobian_delivery_seconds",
    }
)


def _families(text: bytes) -> dict[str, bytes]:
    """Split an exposition into its families (each starts with ``# HELP name``), in order."""
    out: dict[str, bytes] = {}
    name = ""
    for line in text.splitlines(keepends=True):
        if line.startswith(b"# HELP "):
            name = line.split()[2].decode().removesuffix("_total")
            name = name.removesuffix("_created")
        out[name] = out.get(name, b"") + line
    return out


class _StateCollector:
    """Gauges read at scrape time: queue depths, replies dead in the last day, channel health."""

    def __init__(self, bot):
        self.bot = bot

    def describe(self):
        return []

    def collect(self):
        db = self.bot.db
        depth = GaugeMetricFamily("xiaobian_queue_depth", "Rows waiting", labels=["queue"])
        depth.add_metric(["inbox"], inbox.depth(db))
        depth.add_metric(["outbox"], outbox.depth(db))
        yield depth
        dead = GaugeMetricFamily("xiaobian_replies_dead_24h", "Outbox rows that died in the last 24 hours")
        dead.add_metric([], outbox.dead_since(db, self.bot.now() - timedelta(hours=24)))
        yield dead
        healthy = GaugeMetricFamily("xiaobian_channel_healthy", "1 when a channel is up", labels=["channel"])
        for name, status in self.bot.channel_statuses(self.bot.published_status()).items():
            healthy.add_metric([name], 1 if status.get("healthy", True) else 0)
        yield healthy
