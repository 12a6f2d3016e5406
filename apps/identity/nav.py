"""Identity's part of the app shell's menu (apps/core/navigation.py): the roles of a member,
`<organization kind>.<role>` (`agency.manager`, `merchant.collector`, `owner.owner`), the team
and the profile."""

from django.utils.translation import gettext_lazy as _

from apps.core.navigation import Entry

from .models import Membership


def roles(user) -> set[str]:
    rows = Membership.objects.filter(
        user_id=user.pk, is_active=True, organization__is_active=True
    ).values_list("organization__kind", "role")
    return {f"{kind}.{role}" for kind, role in rows}


ENTRIES = [
    Entry(
        key="team",
        label=_("Team"),
        url="manager:identity_organizations",
        roles=("*.owner", "*.manager"),
        order=900,
        group="more",
    ),
    Entry(
        key="profile",
        label=_("My profile"),
        short_label=_("Profile"),
        url="manager:identity_profile",
        roles=("user",),
        order=990,
        group="more",
        phone=50,  # in the phone's bar before the other account entries
    ),
]
