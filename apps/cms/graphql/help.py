"""Cms help: GraphQL root fields (named cms<Thing>), owned by the help part."""

import graphene


class HelpQueries(graphene.ObjectType):
    public_fields: tuple = ()


class HelpMutations(graphene.ObjectType):
    pass
