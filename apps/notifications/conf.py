"""Notifications' settings: SMS, push and e-mail providers, quiet hours, retries, queues.

Read by `apps.core.conf.assemble` into the settings before Django starts (no models here).
docs/notifications.md lists every variable."""

from apps.core.conf import env

SMS_BACKEND = env("SMS_BACKEND", default="console")
# --- Notifications (docs/notifications.md lists every variable) ---------------------------
# SMS_BACKEND is the default failover chain ("africastalking,twilio": A, then B on error or
# timeout); SMS_ROUTES picks a chain by country prefix ("+229:orange,africastalking;+225:orange").
# "console" prints each SMS (the dev outbox); "file" only writes SMS_CONSOLE_FILE.
SMS_PROVIDER_CHAIN = [name.strip() for name in SMS_BACKEND.split(",") if name.strip()]
SMS_ROUTES = env("SMS_ROUTES", default="")
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=10.0)
SMS_PROVIDER_TRIES = env.int("SMS_PROVIDER_TRIES", default=2)  # per provider, before failover
SMS_CONSOLE_FILE = env("SMS_CONSOLE_FILE", default="")
AFRICASTALKING_BASE_URL = env("AFRICASTALKING_BASE_URL", default="https://api.africastalking.com")
AFRICASTALKING_USERNAME = env("AFRICASTALKING_USERNAME", default="")
AFRICASTALKING_API_KEY = env("AFRICASTALKING_API_KEY", default="")
AFRICASTALKING_SENDER_ID = env("AFRICASTALKING_SENDER_ID", default="")
AFRICASTALKING_CALLBACK_TOKEN = env("AFRICASTALKING_CALLBACK_TOKEN", default="")
TWILIO_BASE_URL = env("TWILIO_BASE_URL", default="https://api.twilio.com")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_FROM = env("TWILIO_FROM", default="")  # a number, or a Messaging Service SID (MG…)
ORANGE_SMS_BASE_URL = env("ORANGE_SMS_BASE_URL", default="https://api.orange.com")
ORANGE_SMS_CLIENT_ID = env("ORANGE_SMS_CLIENT_ID", default="")
ORANGE_SMS_CLIENT_SECRET = env("ORANGE_SMS_CLIENT_SECRET", default="")
ORANGE_SMS_SENDER = env("ORANGE_SMS_SENDER", default="")  # the sender number, +225…
ORANGE_SMS_SENDER_NAME = env("ORANGE_SMS_SENDER_NAME", default="")
ORANGE_SMS_CALLBACK_TOKEN = env("ORANGE_SMS_CALLBACK_TOKEN", default="")
PUSH_BACKEND = env("PUSH_BACKEND", default="console")  # console | fcm | none (no push)
FCM_BASE_URL = env("FCM_BASE_URL", default="https://fcm.googleapis.com")
FCM_PROJECT_ID = env("FCM_PROJECT_ID", default="")
FCM_SERVICE_ACCOUNT_FILE = env("FCM_SERVICE_ACCOUNT_FILE", default="")
FCM_SERVICE_ACCOUNT_JSON = env("FCM_SERVICE_ACCOUNT_JSON", default="")
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
NOTIFICATIONS_PUBLIC_BASE_URL = env("NOTIFICATIONS_PUBLIC_BASE_URL", default="")  # callback URLs
NOTIFICATIONS_QUIET_HOURS = env("NOTIFICATIONS_QUIET_HOURS", default="21:00-07:00")  # or "off"
NOTIFICATIONS_RETRY_BASE_SECONDS = env.float("NOTIFICATIONS_RETRY_BASE_SECONDS", default=5.0)
NOTIFICATIONS_RETRY_MAX_SECONDS = env.float("NOTIFICATIONS_RETRY_MAX_SECONDS", default=900.0)
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=40)
NOTIFICATIONS_BATCH_SIZE = env.int("NOTIFICATIONS_BATCH_SIZE", default=500)
NOTIFICATIONS_RELEASE_GRACE_SECONDS = env.int("NOTIFICATIONS_RELEASE_GRACE_SECONDS", default=60)
NOTIFICATIONS_STUCK_AFTER_SECONDS = env.int("NOTIFICATIONS_STUCK_AFTER_SECONDS", default=600)
NOTIFICATIONS_OTP_TTL_SECONDS = env.int("NOTIFICATIONS_OTP_TTL_SECONDS", default=600)  # unsent code: dropped
NOTIFICATIONS_SEALED_TTL_SECONDS = env.int("NOTIFICATIONS_SEALED_TTL_SECONDS", default=8 * 24 * 3600)

# One queue per priority; run a worker for notifications.otp alone so a code never waits
# behind a bulk run (docs/notifications.md, "Queues").
TASK_ROUTES = {
    "notifications.deliver_otp": {"queue": "notifications.otp"},
    "notifications.deliver": {"queue": "notifications.transactional"},
    "notifications.deliver_bulk": {"queue": "notifications.bulk"},
}
MONITORED_QUEUES = ["notifications.otp", "notifications.transactional", "notifications.bulk"]
BEAT_SCHEDULE = {
    "notifications.release_due": {"task": "notifications.release_due", "schedule": 15.0},
}


def production_problems(settings: dict) -> list[str]:
    problems = []
    routes = settings["SMS_ROUTES"].replace(";", ",").replace(":", ",").split(",")
    if {"console", "file"} & {*settings["SMS_PROVIDER_CHAIN"], *routes}:
        problems.append("SMS_BACKEND and SMS_ROUTES must name real providers, not console or file")
    if settings["PUSH_BACKEND"] == "console":
        problems.append("PUSH_BACKEND must be fcm (or none), not console")
    return problems
