"""The notifications part of the root GraphQL schema."""

from .mutations import NotificationsMutations
from .queries import NotificationsQueries

__all__ = ["NotificationsMutations", "NotificationsQueries"]
