"""The Wagtail editor at /cms/ is for Hokwe's content staff: staff who logged in with their
password and the code of their TOTP app (the /admin/ login, django-otp), and whom Wagtail lets
into its admin (superusers, or a group with "Can access Wagtail admin"). Anyone else is sent to
the admin's TOTP login, as /admin/ itself does."""

from functools import wraps

from django.conf import settings
from django.contrib.auth.views import redirect_to_login


def staff_verified(user) -> bool:
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.is_staff
        and getattr(user, "is_verified", lambda: False)()
    )


def require_verified_staff(view):
    @wraps(view)
    def guarded(request, *args, **kwargs):
        if not staff_verified(request.user):
            return redirect_to_login(request.get_full_path(), settings.WAGTAILADMIN_LOGIN_URL)
        return view(request, *args, **kwargs)

    return guarded
