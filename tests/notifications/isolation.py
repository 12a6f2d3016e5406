"""notifications' part of the isolation suite (tests/isolation/cases.py merges it): the
module-prefixed GraphQL names (issue 14) get the same cases as the old names, which stay
as deprecated aliases and keep their own cases in cases.py."""

from tests.identity.isolation import renamed

GRAPHQL_CASES, PUBLIC_GRAPHQL, SELF_SCOPED_GRAPHQL = renamed(
    {
        "mutation.markInboxMessageRead": "notificationsMarkInboxMessageRead",
        "mutation.markAllInboxMessagesRead": "notificationsMarkAllInboxMessagesRead",
        "mutation.registerPushDevice": "notificationsRegisterPushDevice",
        "mutation.unregisterPushDevice": "notificationsUnregisterPushDevice",
    }
)
