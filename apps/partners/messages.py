"""The messages partners sends (registered with notifications at start-up)."""

from apps.notifications.api import register_templates
from apps.notifications.contracts import INT, STR, URL, Category, Channel, Priority, TemplateDef, Text, Var

WEBHOOK_DISABLED = "partners.webhook_disabled"

register_templates(
    TemplateDef(
        key=WEBHOOK_DISABLED,
        description="A webhook endpoint was disabled after persistent failure (partners).",
        category=Category.ACCOUNT,
        priority=Priority.TRANSACTIONAL,
        channels=(Channel.EMAIL,),
        action_url="manage_url",
        variables={
            "organization_name": Var(STR, "The organization", "Agence Les Palmiers"),
            "url": Var(STR, "The endpoint's URL", "https://erp.example.bj/hokwe/webhooks"),
            "count": Var(INT, "Deliveries that all failed", 5),
            "manage_url": Var(URL, "The Developers page", "https://manager.hokwe.com/manager/partners/"),
        },
        defaults={
            Channel.EMAIL: {
                "fr": Text(
                    "Bonjour,\n\nL'adresse de webhook {{ url }} de {{ organization_name }} n'a accepté aucun "
                    "des {{ count }} derniers événements, malgré nos nouvelles tentatives pendant 3 jours. "
                    "Nous l'avons désactivée : elle ne reçoit plus rien.\n\n"
                    "Corrigez votre serveur, puis réactivez-la et renvoyez les événements manqués depuis "
                    "la page Développeurs : {{ manage_url }}",
                    subject="Webhook désactivé : {{ url }}",
                ),
                "en": Text(
                    "Hello,\n\nThe webhook endpoint {{ url }} of {{ organization_name }} accepted none of the "
                    "last {{ count }} events, although we retried for 3 days. We disabled it: it receives "
                    "nothing any more.\n\nFix your server, then enable it again and replay the missed events "
                    "from the Developers page: {{ manage_url }}",
                    subject="Webhook disabled: {{ url }}",
                ),
            },
        },
    )
)
