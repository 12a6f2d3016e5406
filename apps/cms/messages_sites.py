"""The sites part's messages (imported by cms.messages, registered with notifications)."""

# « find my pay link »: the tenant's open pay links, to the number typed on pay.hokwe.com.
from apps.notifications.api import register_templates as _sites_register
from apps.notifications.contracts import STR as _SITES_STR
from apps.notifications.contracts import Category as _SitesCategory
from apps.notifications.contracts import Channel as _SitesChannel
from apps.notifications.contracts import Priority as _SitesPriority
from apps.notifications.contracts import TemplateDef as _SitesTemplate
from apps.notifications.contracts import Text as _SitesText
from apps.notifications.contracts import Var as _SitesVar

_sites_register(
    _SitesTemplate(
        key="cms.pay_links",
        description="« Find my pay link » on pay.hokwe.com: the tenant's open pay links (cms sites).",
        category=_SitesCategory.RENT,
        priority=_SitesPriority.TRANSACTIONAL,
        channels=(_SitesChannel.SMS,),
        variables={
            "links": _SitesVar(
                _SITES_STR, "The open pay links, space-separated", "https://hokwe.com/pay/K7Q2M"
            )
        },
        defaults={
            _SitesChannel.SMS: {
                "fr": _SitesText("Hokwe : vos liens de paiement de loyer : {{ links }}"),
                "en": _SitesText("Hokwe: your rent pay links: {{ links }}"),
            }
        },
    )
)
