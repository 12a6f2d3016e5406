"""Cms's use cases, one module per part: sites, help, news, vault."""
