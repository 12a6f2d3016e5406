"""Cms's tables, one file per part: sites (Wagtail pages of the public sites), help (help
centre, feedback, support tickets), news (HokweNews), vault (HokweDoc)."""

from .help import *  # noqa: F403
from .news import *  # noqa: F403
from .sites import *  # noqa: F403
from .vault import *  # noqa: F403
