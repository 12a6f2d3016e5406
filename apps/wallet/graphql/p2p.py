"""GraphQL of the wallet's p2p part (fields named wallet<Thing>)."""

import graphene


class P2pQueries(graphene.ObjectType):
    pass


class P2pMutations(graphene.ObjectType):
    pass
