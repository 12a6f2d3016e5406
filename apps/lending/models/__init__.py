"""Lending's tables, one file per part: product.py (loan products), loan.py (loans and
instalments), repayment.py, delinquency.py, fund.py (emergency fund, guarantors, pledges),
advance.py (landlord advances)."""

from .advance import *  # noqa: F403
from .delinquency import *  # noqa: F403
from .disbursement import *  # noqa: F403
from .fund import *  # noqa: F403
from .loan import *  # noqa: F403
from .product import *  # noqa: F403
from .repayment import *  # noqa: F403
