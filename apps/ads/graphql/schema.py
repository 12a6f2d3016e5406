"""Ads' GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/advertising.py, social.py, creators.py), combined here. Fields are named ads<Thing>."""

from .advertising import AdvertisingMutations, AdvertisingQueries
from .creators import CreatorsMutations, CreatorsQueries
from .social import SocialMutations, SocialQueries


class AdsQueries(AdvertisingQueries, SocialQueries, CreatorsQueries):
    # the fields anonymous callers may use: every part's own `public_fields`
    public_fields = tuple(
        name
        for part in (AdvertisingQueries, SocialQueries, CreatorsQueries)
        for name in part.__dict__.get("public_fields", ())
    )


class AdsMutations(AdvertisingMutations, SocialMutations, CreatorsMutations):
    pass


__all__ = ["AdsMutations", "AdsQueries"]
