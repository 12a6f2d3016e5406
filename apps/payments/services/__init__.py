"""Payments' writes (private: other apps call api.py). One module per area."""

from .intents import (  # noqa: F401
    attempt_apply,
    attempt_push,
    attempt_start,
    attempt_verify,
    bank_transfer_record,
    callback_confirm,
    cash_record,
    intent_cancel,
    intent_create,
    intent_refund,
    intents_expire,
    refund_apply,
    refund_route,
    refund_send,
    settlement_record,
    start_apply,
    start_failed,
    to_suspense,
    wallet_pay,
)
from .merchant import currency_for, merchant_cash_sale  # noqa: F401
from .payouts import (  # noqa: F401
    names_match,
    payout_account_check_name,
    payout_account_create,
    payout_account_remove,
    payout_account_verify,
    payout_cancel,
    payout_request,
    payout_send,
    payout_send_apply,
    payout_sync,
    refund_destination,
    scheduled_payouts_run,
)
from .provider_calls import provider_calls_recover  # noqa: F401
from .reconciliation import reconcile, reconcile_all, settle_stale_pending  # noqa: F401
from .settlements import fedapay_import, fedapay_import_daily, file_import, manual_record  # noqa: F401
from .suspense import (  # noqa: F401
    suspense_apply,
    suspense_approve,
    suspense_payout_done,
    suspense_payout_send,
    suspense_payouts_poll,
    suspense_refund,
    suspense_refund_send,
    suspense_reject,
)
from .webhooks import webhook_process, webhook_receive  # noqa: F401
