"""Wagtail's users app, installed for what the editor needs of it (each editor's profile:
language, theme; the wagtailusers_userprofile table), with its user screens turned off.

Hokwe's users are identity's: phone-first, a status instead of an `is_active` flag, created,
suspended and given staff roles in /admin/ through identity's services and policy. Wagtail's
user forms would edit `first_name`/`last_name`/`is_active` directly, so its users viewset here
lets nobody in, and its bulk actions on users are refused (wagtail_hooks.py). Wagtail's own
documented way: a custom WagtailUsersAppConfig naming its user viewset (docs/cms.md).
"""

from wagtail.users.apps import WagtailUsersAppConfig


class HokweWagtailUsersConfig(WagtailUsersAppConfig):
    user_viewset = "apps.cms.wagtail_viewsets.HokweUserViewSet"
