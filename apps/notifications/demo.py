"""Demo messages: a welcome in the inbox of each demo tenant, so the in-app inbox and the
admin delivery log show messages from the start (identity.welcome has no SMS text). The modules above
(estate's rent notices, payments' receipts) send their own from their demo data.
Idempotent: the idempotency keys make a second run send nothing."""

from . import api
from .contracts import Channel, TemplateKey


def seed(ctx) -> None:
    for index, tenant in enumerate(ctx.get("tenants", [])):
        api.send(
            tenant.public_id,
            TemplateKey.WELCOME,
            {},
            channels=[Channel.INAPP],
            priority="transactional",  # the demo should not wait for the end of quiet hours
            idempotency_key=f"demo:welcome:{index}",
        )
