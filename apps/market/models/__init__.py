"""Market's tables, one file per part: listing.py (listings, photos, price history,
moderation), search.py (saved searches, favourites, recently viewed), visits.py (visit
slots and bookings), applications.py (applications from a listing), providers.py (local
service providers, quote requests, quotes, reviews)."""

from .applications import *  # noqa: F403
from .listing import *  # noqa: F403
from .providers import *  # noqa: F403
from .search import *  # noqa: F403
from .visits import *  # noqa: F403
