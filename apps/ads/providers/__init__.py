"""Ads' outside systems: the social networks (base.py: the protocol; graph.py: Meta's Graph
and Marketing API; sandbox.py: the embedded default's labelled simulation)."""

from __future__ import annotations

from django.conf import settings

from .base import SocialNetwork


def social_network() -> SocialNetwork:
    """The configured network: ADS_SOCIAL_NETWORK ("graph" or "sandbox"), else the Graph API
    when an app id is set, else the sandbox."""
    choice = (settings.ADS_SOCIAL_NETWORK or "").strip().lower()
    if not choice:
        choice = "graph" if settings.ADS_FACEBOOK_APP_ID else "sandbox"
    if choice == "sandbox":
        from .sandbox import SandboxNetwork

        return SandboxNetwork()
    if choice == "graph":
        from .graph import GraphNetwork

        return GraphNetwork.from_settings()
    raise ValueError(f"ADS_SOCIAL_NETWORK: unknown network {choice!r} (graph or sandbox)")
