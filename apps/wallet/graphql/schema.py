"""The wallet's GraphQL, as the root schema imports it: one Queries/Mutations class per part
(graphql/wallet.py, p2p.py, tontine.py, split.py, safeguarding.py), combined here."""

from .p2p import P2pMutations, P2pQueries
from .safeguarding import SafeguardingMutations, SafeguardingQueries
from .split import SplitMutations, SplitQueries
from .tontine import TontineMutations, TontineQueries
from .wallet import WalletCoreMutations, WalletCoreQueries


class WalletQueries(WalletCoreQueries, P2pQueries, TontineQueries, SplitQueries, SafeguardingQueries):
    pass


class WalletMutations(
    WalletCoreMutations, P2pMutations, TontineMutations, SplitMutations, SafeguardingMutations
):
    pass


__all__ = ["WalletMutations", "WalletQueries"]
