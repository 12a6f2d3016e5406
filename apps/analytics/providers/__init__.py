"""Product-analytics tools the events are exported to (docs/analytics.md, « Export »)."""
