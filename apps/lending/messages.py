"""The messages lending sends (registered with notifications at start-up: each part appends
its own `register_templates(...)` block)."""
