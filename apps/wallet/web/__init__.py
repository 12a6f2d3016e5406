"""The tenant's wallet pages (server-rendered, inside the tenant space's look): public_urls.py."""
