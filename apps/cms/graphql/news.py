"""Cms news: GraphQL root fields (named cms<Thing>), owned by the news part."""

import graphene


class NewsQueries(graphene.ObjectType):
    public_fields: tuple = ()


class NewsMutations(graphene.ObjectType):
    pass
