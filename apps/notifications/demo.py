"""Demo messages: a rent notice (SMS + in-app) for each demo tenant and a payment receipt
for the first, so the console outbox, the in-app inbox and the admin delivery log show
real messages. Idempotent: the idempotency keys make a second run send nothing."""

from datetime import date

from django.utils import timezone

from . import api
from .contracts import Channel, TemplateKey

RENT = {"amount": 75000, "currency": "XOF"}


def seed(ctx) -> None:
    today = timezone.localdate()
    due = date(today.year + (today.month == 12), today.month % 12 + 1, 5)
    period = f"{due.month:02d}/{due.year}"
    for index, tenant in enumerate(ctx.get("tenants", [])):
        api.send(
            tenant.public_id,
            TemplateKey.RENT_NOTICE,
            {
                "tenant_name": tenant.full_name or str(tenant.phone),
                "amount": RENT,
                "period": period,
                "due_date": due.isoformat(),
                "property_name": f"Résidence Les Cocotiers, apt {index + 1}",
                "reference": f"LOY-{due:%Y-%m}-{index + 1:04d}",
                "pay_url": f"https://hokwe.com/pay/DEMO{index + 1}",
            },
            channels=[Channel.SMS, Channel.INAPP],
            priority="transactional",  # the demo should not wait for the end of quiet hours
            idempotency_key=f"demo:rent_notice:{due:%Y-%m}:{index}",
        )
    tenants = ctx.get("tenants", [])
    if tenants:
        api.send(
            tenants[0].public_id,
            TemplateKey.PAYMENT_RECEIPT,
            {
                "payer_name": tenants[0].full_name or str(tenants[0].phone),
                "amount": RENT,
                "purpose": f"Loyer {period}",
                "reference": "REC-DEMO1",
                "paid_at": timezone.now().replace(microsecond=0).isoformat(),
                "receipt_url": "https://hokwe.com/r/DEMO1",
            },
            channels=[Channel.SMS, Channel.INAPP],
            idempotency_key="demo:receipt:1",
        )
