"""Ads' outside systems: the social networks (base.py: the protocol; graph.py: Meta's Graph
and Marketing API; sandbox.py: the embedded default's labelled simulation)."""

from __future__ import annotations

from django.conf import settings

from .base import SocialNetwork


def network_choice() -> str:
    """ "graph", "sandbox" or "none" (social advertising switched off): ADS_SOCIAL_NETWORK,
    else the Graph API when an app id is set, else the sandbox."""
    choice = (settings.ADS_SOCIAL_NETWORK or "").strip().lower()
    if not choice:
        choice = "graph" if settings.ADS_FACEBOOK_APP_ID else "sandbox"
    return choice


def social_enabled() -> bool:
    return network_choice() != "none"


def social_network() -> SocialNetwork:
    """The configured network (callers check `social_enabled()` first)."""
    choice = network_choice()
    if choice == "sandbox":
        from .sandbox import SandboxNetwork

        return SandboxNetwork()
    if choice == "graph":
        from .graph import GraphNetwork

        return GraphNetwork.from_settings()
    raise ValueError(f"ADS_SOCIAL_NETWORK: no network for {choice!r} (graph, sandbox or none)")
