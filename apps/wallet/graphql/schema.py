"""The wallet's GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/wallet.py, tontine.py, split.py, safeguarding.py), combined here."""

from .safeguarding import SafeguardingMutations, SafeguardingQueries
from .split import SplitMutations, SplitQueries
from .tontine import TontineMutations, TontineQueries
from .wallet import WalletCoreMutations, WalletCoreQueries


class WalletQueries(WalletCoreQueries, TontineQueries, SplitQueries, SafeguardingQueries):
    pass


class WalletMutations(WalletCoreMutations, TontineMutations, SplitMutations, SafeguardingMutations):
    pass


__all__ = ["WalletMutations", "WalletQueries"]
