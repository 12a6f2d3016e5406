from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "apps.identity"
    label = "identity"
    verbose_name = _("Identity")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in, user_login_failed

        from . import policy  # noqa: F401 -- registers identity's permission rules
        from .services import audit as audit_service
        from .services import web_devices

        # Session logins (manager pages, admin) are audited from Django's auth signals:
        # they cover every backend (password, phone code, OIDC) in one place.
        user_logged_in.connect(audit_service.on_user_logged_in, dispatch_uid="identity.audit.login")
        user_login_failed.connect(
            audit_service.on_user_login_failed, dispatch_uid="identity.audit.login_failed"
        )
        # SIM-swap protection: a page login from a browser the account never used (issue 16)
        user_logged_in.connect(web_devices.on_user_logged_in, dispatch_uid="identity.devices.login")
        # Bearer authentication keeps users per process by version (services/tokens.py):
        # every change of a user moves its version.
        from django.db.models.signals import post_delete, post_save

        from .models import User, users_updated
        from .services import tokens

        post_save.connect(tokens.on_user_saved, sender=User, dispatch_uid="identity.tokens.user_saved")
        post_delete.connect(tokens.on_user_saved, sender=User, dispatch_uid="identity.tokens.user_deleted")
        users_updated.connect(
            tokens.on_users_updated, sender=User, dispatch_uid="identity.tokens.users_updated"
        )
