"""Shared kernel: base models, Money, errors, events/outbox, pagination, health, logging."""
