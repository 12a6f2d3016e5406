"""Cms vault: GraphQL root fields (named cms<Thing>), owned by the vault part."""

import graphene


class VaultQueries(graphene.ObjectType):
    public_fields: tuple = ()


class VaultMutations(graphene.ObjectType):
    pass
