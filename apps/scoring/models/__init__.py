"""Scoring's tables, one file per part: score.py (models, scores, history, disputes, access
log, loyalty), screening.py, valuation.py, bureau.py."""

from .bureau import *  # noqa: F403
from .dispute import *  # noqa: F403
from .score import *  # noqa: F403
from .score_state import *  # noqa: F403
from .screening import *  # noqa: F403
from .valuation import *  # noqa: F403
