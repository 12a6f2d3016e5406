"""Events the wallet publishes (apps.core.outbox). Each part appends its own."""
