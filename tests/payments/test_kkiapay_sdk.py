"""The local Kkiapay checked against Kkiapay's community SDK (PyPI `kkiapay` 0.0.6): the
SDK, pointed at our server, sends its real URLs, headers and bodies and gets the answers
the SDK documents for Kkiapay (its README and tests)."""

import pytest

kkiapay_sdk = pytest.importorskip(
    "kkiapay", reason="requirements-nodeps.txt (scripts/setup.d/55-provider-sdks.sh)"
)

from kkiapay import base as sdk_base  # noqa: E402

from .fakes import kkiapay as fake  # noqa: E402


@pytest.fixture
def sdk(kkiapay, httpserver, monkeypatch):
    # The SDK hard-codes Kkiapay's hosts as module constants; point its sandbox one at us.
    monkeypatch.setattr(sdk_base, "SANDBOX_BASE_URL", httpserver.url_for("").rstrip("/"))
    return kkiapay_sdk.Kkiapay(fake.PUBLIC, fake.PRIVATE, fake.SECRET, sandbox=True)


def test_sdk_verify_gets_the_documented_transaction(sdk, kkiapay):
    reference = kkiapay.add(amount=100, fees=2, reference="LVFNrK1nx")
    answer = sdk.verify_transaction(reference)
    # the README's example answer, field for field
    for key in (
        "performed_at",
        "received_at",
        "type",
        "status",
        "source",
        "source_common_name",
        "amount",
        "fees",
        "net",
        "externalTransactionId",
        "transactionId",
    ):
        assert key in answer
    assert answer["status"] == "SUCCESS" and answer["type"] == "DEBIT" and answer["source"] == "MOBILE_MONEY"
    assert answer["transactionId"] == "LVFNrK1nx" and answer["amount"] == 100 and answer["fees"] == 2


def test_sdk_refund_gets_the_documented_answer(sdk, kkiapay):
    reference = kkiapay.add(amount=100, reference="123")
    assert sdk.refund_transaction(reference) == {
        "code": "SUCCESS",
        "description": "REVERTED",
        "transactionId": "123",
    }
    assert sdk.verify_transaction(reference)["status"] == "REVERTED"


def test_sdk_sees_kkiapay_error_shapes(sdk, kkiapay):
    assert sdk.verify_transaction("unknown")["status"] == "TRANSACTION_NOT_FOUND"
    wrong = kkiapay_sdk.Kkiapay(fake.PUBLIC, "bad-private", fake.SECRET, sandbox=True)
    assert wrong.verify_transaction("x")["status"] == 4001


def test_our_adapter_and_the_sdk_read_the_same_transaction(sdk, kkiapay):
    from apps.payments.providers.base import Credentials, TxStatus
    from apps.payments.providers.kkiapay import KkiapayProvider

    reference = kkiapay.add(amount=25_000, fees=475)
    ours = KkiapayProvider(
        Credentials(public_key=fake.PUBLIC, private_key=fake.PRIVATE, secret_key=fake.SECRET)
    ).verify(reference)
    theirs = sdk.verify_transaction(reference)
    assert ours.status == TxStatus.SUCCEEDED and theirs["status"] == "SUCCESS"
    assert (ours.amount, ours.fees, ours.reference) == (
        theirs["amount"],
        theirs["fees"],
        theirs["transactionId"],
    )
