"""The messages analytics sends (notification templates, French and English), registered
with notifications at start-up: `register_templates(TemplateDef(key="analytics.…", …))`."""
