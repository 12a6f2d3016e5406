"""GraphQL of the wallet's wallet part (fields named wallet<Thing>)."""

import graphene


class WalletCoreQueries(graphene.ObjectType):
    pass


class WalletCoreMutations(graphene.ObjectType):
    pass
