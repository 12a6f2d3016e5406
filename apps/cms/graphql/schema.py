"""Cms's GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/sites.py, help.py, news.py, vault.py), combined here. Fields are named cms<Thing>."""

from .help import HelpMutations, HelpQueries
from .news import NewsMutations, NewsQueries
from .sites import SitesMutations, SitesQueries
from .vault import VaultMutations, VaultQueries


class CmsQueries(SitesQueries, HelpQueries, NewsQueries, VaultQueries):
    # the fields anonymous callers may use: every part's own `public_fields`
    public_fields = tuple(
        name
        for part in (SitesQueries, HelpQueries, NewsQueries, VaultQueries)
        for name in part.__dict__.get("public_fields", ())
    )


class CmsMutations(SitesMutations, HelpMutations, NewsMutations, VaultMutations):
    pass


__all__ = ["CmsMutations", "CmsQueries"]
