"""notifications' part of the isolation suite (tests/isolation/cases.py merges it): the
module-prefixed GraphQL names (issue 14) get the same cases as the old names, which stay
as deprecated aliases and keep their own cases in cases.py. A's owner has preferences of
their own (a time zone and quiet hours nobody else uses): changing or reading one's
preferences, over REST or GraphQL, never shows them to anyone else."""

from datetime import time

from tests.identity.isolation import renamed
from tests.isolation import cases as base

GRAPHQL_CASES, PUBLIC_GRAPHQL, SELF_SCOPED_GRAPHQL = renamed(
    {
        "mutation.markInboxMessageRead": "notificationsMarkInboxMessageRead",
        "mutation.markAllInboxMessagesRead": "notificationsMarkAllInboxMessagesRead",
        "mutation.registerPushDevice": "notificationsRegisterPushDevice",
        "mutation.unregisterPushDevice": "notificationsUnregisterPushDevice",
    }
)


def preferences_of_a(world) -> None:
    from apps.notifications.services import preference_update

    preference_update(
        user=world.user_a,
        zone="Pacific/Chatham",
        quiet_hours_start=time(1, 23, 17),
        quiet_hours_end=time(5, 47, 29),
    )
    world.mark("Pacific/Chatham", "01:23:17", "05:47:29")


SEEDERS = [preferences_of_a]


def gql_update_preferences(world):
    """The caller's own preferences: B gets B's, never A's."""
    return base._gql(
        "notificationsUpdatePreferences",
        {"marketingOptOut": ("Boolean", True)},
        "{ ok errors { code } preferences { marketingOptOut quietHoursStart quietHoursEnd timezone "
        "disabled { category channels } } }",
        owned=False,
    )


GRAPHQL_CASES["mutation.notificationsUpdatePreferences"] = gql_update_preferences
