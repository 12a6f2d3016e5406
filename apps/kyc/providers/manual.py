"""Staff review in the back-office: no outside system. The submission waits in the admin
queue; compliance staff compare the documents with the data entered."""

from __future__ import annotations

from .base import CallbackRejected, CheckRequest, CheckResult, CheckStarted, Outcome


class ManualProvider:
    name = "manual"

    def start_check(self, request: CheckRequest) -> CheckStarted:
        return CheckStarted(reference=f"manual:{request.reference}", summary="staff review")

    def fetch_result(self, reference: str) -> CheckResult:
        return CheckResult(reference=reference, outcome=Outcome.PENDING)

    def verify_callback(self, *, body: bytes, headers) -> None:
        raise CallbackRejected("the manual provider has no callbacks")
