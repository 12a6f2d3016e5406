"""Adapters to the outside delivery systems: base.py is the protocol, one file per provider."""
