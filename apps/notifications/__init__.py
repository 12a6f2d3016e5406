"""Notifications: SMS, e-mail, push and in-app messages from templates, with preferences,
retries, failover and delivery tracking. Other modules call `apps.notifications.api.send`."""
