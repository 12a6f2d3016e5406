"""Prometheus metrics of the notifications module (docs/notifications.md, "Metrics").

Alert on `hokwe_notifications_sms_providers_down > 0` (every provider of a chain failed
the last attempt: SMS are held back and retried) and on the OTP latency histogram.
"""

from prometheus_client import Counter, Gauge, Histogram

QUEUED = Counter(
    "hokwe_notifications_messages_queued_total", "Messages accepted by send()", ["channel", "priority"]
)
SENT = Counter(
    "hokwe_notifications_messages_sent_total", "Messages handed to a provider", ["channel", "provider"]
)
DELIVERED = Counter(
    "hokwe_notifications_messages_delivered_total",
    "Messages confirmed delivered (provider receipts; in-app on creation)",
    ["channel", "provider"],
)
FAILED = Counter(
    "hokwe_notifications_messages_failed_total", "Messages that failed for good", ["channel", "provider"]
)
PROVIDER_ERRORS = Counter(
    "hokwe_notifications_provider_errors_total",
    "Provider attempts that errored or timed out (each one triggers a failover)",
    ["channel", "provider"],
)
SMS_ALL_PROVIDERS_FAILED = Counter(
    "hokwe_notifications_sms_all_providers_failed_total",
    "Delivery attempts where every SMS provider of the chain failed (message kept for retry)",
)
SMS_PROVIDERS_DOWN = Gauge(
    "hokwe_notifications_sms_providers_down",
    "1 while the last SMS attempt found every provider of its chain down (alert on it)",
    multiprocess_mode="max",
)
OTP_LATENCY = Histogram(
    "hokwe_notifications_otp_send_latency_seconds",
    "From send() to the provider accepting an OTP SMS",
    buckets=(0.1, 0.25, 0.5, 1, 2, 3, 5, 10, 20, 30, 60, 120),
)
SUPPRESSED = Counter(
    "hokwe_notifications_messages_suppressed_total",
    "Messages not sent because of preferences or opt-outs",
    ["channel"],
)
PRUNED_DEVICES = Counter("hokwe_notifications_push_devices_pruned_total", "Push tokens dropped as invalid")
