"""Cms sites: GraphQL root fields (named cms<Thing>), owned by the sites part."""

import graphene


class SitesQueries(graphene.ObjectType):
    public_fields: tuple = ()


class SitesMutations(graphene.ObjectType):
    pass
