"""Local stand-ins that speak the providers' documented APIs (pytest-httpserver): Smile ID's
v1 server-to-server API (upload → ZIP PUT → job_status, signed with the partner key) and
Onfido's API v3.6 (applicants, documents, live photos, checks; Token authentication)."""

from __future__ import annotations

import io
import json
import zipfile

from werkzeug import Request, Response

from apps.kyc.providers.smile_id import sign

SMILE_PARTNER = "2402"
SMILE_KEY = "smile-test-api-key"
ONFIDO_TOKEN = "api_sandbox.test-token"
ONFIDO_WEBHOOK_TOKEN = "onfido-webhook-token"


def _json(data, status=200):
    return Response(json.dumps(data), status=status, content_type="application/json")


class FakeSmileId:
    def __init__(self, server):
        self.server = server
        self.jobs: dict[str, dict] = {}
        self.uploads: dict[str, dict] = {}
        self.result = {"job_success": True, "ResultCode": "0810", "ResultText": "Document Verified"}
        self.complete = True
        self.sign_answers_with = SMILE_KEY

    def install(self):
        self.server.expect_request("/v1/upload", method="POST").respond_with_handler(self.prep_upload)
        self.server.expect_request("/v1/job_status", method="POST").respond_with_handler(self.job_status)
        self.server.expect_request("/bucket/upload.zip", method="PUT").respond_with_handler(self.bucket)
        return self

    def _signed(self, body) -> bool:
        expected = sign(api_key=SMILE_KEY, partner_id=SMILE_PARTNER, timestamp=body.get("timestamp", ""))
        return body.get("signature") == expected

    def prep_upload(self, request: Request):
        body = request.get_json()
        if not self._signed(body) or body.get("smile_client_id") != SMILE_PARTNER:
            return _json({"code": "2205", "error": "You are not authorized"}, 401)
        params = body["partner_params"]
        self.jobs[params["job_id"]] = {"partner_params": params, "callback_url": body.get("callback_url")}
        return _json(
            {
                "upload_url": self.server.url_for("/bucket/upload.zip"),
                "ref_id": "ref-1",
                "smile_job_id": "0000000451",
                "code": "2202",
            }
        )

    def bucket(self, request: Request):
        if request.headers.get("Content-Type") != "application/zip":
            return Response("bad content type", status=400)
        archive = zipfile.ZipFile(io.BytesIO(request.get_data()))
        info = json.loads(archive.read("info.json"))
        job_id = info["misc_information"]["partner_params"]["job_id"]
        self.uploads[job_id] = {
            "info": info,
            "files": {name: archive.read(name) for name in archive.namelist() if name != "info.json"},
        }
        return Response("", status=200)

    def job_status(self, request: Request):
        body = request.get_json()
        if not self._signed(body):
            return _json({"code": "2205", "error": "You are not authorized"}, 401)
        job = self.jobs.get(body["job_id"])
        if job is None or job["partner_params"]["user_id"] != body["user_id"]:
            return _json({"code": "2213", "error": "Job not found"}, 404)
        from django.utils import timezone

        timestamp = timezone.now().isoformat()
        answer = {
            "job_complete": self.complete,
            "job_success": self.result["job_success"] if self.complete else False,
            "code": "2302",
            "result": {**self.result, "PartnerParams": job["partner_params"], "SmileJobID": "0000000451"}
            if self.complete
            else {},
            "timestamp": timestamp,
            "signature": sign(api_key=self.sign_answers_with, partner_id=SMILE_PARTNER, timestamp=timestamp),
        }
        return _json(answer)


class FakeOnfido:
    def __init__(self, server):
        self.server = server
        self.applicants: dict[str, dict] = {}
        self.documents: list[dict] = []
        self.live_photos: list[dict] = []
        self.checks: dict[str, dict] = {}
        self.result = "clear"

    def install(self):
        self.server.expect_request("/v3.6/applicants", method="POST").respond_with_handler(
            self.create_applicant
        )
        self.server.expect_request("/v3.6/documents", method="POST").respond_with_handler(
            self.upload_document
        )
        self.server.expect_request("/v3.6/live_photos", method="POST").respond_with_handler(
            self.upload_live_photo
        )
        self.server.expect_request("/v3.6/checks", method="POST").respond_with_handler(self.create_check)
        self.server.expect_request(
            __import__("re").compile(r"^/v3\.6/checks/[\w-]+$"), method="GET"
        ).respond_with_handler(self.get_check)
        return self

    @staticmethod
    def _authorized(request: Request) -> bool:
        return request.headers.get("Authorization") == f"Token token={ONFIDO_TOKEN}"

    def _denied(self):
        return _json({"error": {"type": "authorization_error", "message": "Authorization error"}}, 401)

    def create_applicant(self, request: Request):
        if not self._authorized(request):
            return self._denied()
        body = request.get_json()
        if not body.get("first_name") or not body.get("last_name"):
            return _json({"error": {"type": "validation_error"}}, 422)
        applicant_id = f"applicant-{len(self.applicants) + 1}"
        self.applicants[applicant_id] = body
        return _json({"id": applicant_id, **body}, 201)

    def upload_document(self, request: Request):
        if not self._authorized(request):
            return self._denied()
        form, upload = request.form, request.files.get("file")
        if (
            form.get("applicant_id") not in self.applicants
            or upload is None
            or form.get("type") not in ("passport", "national_identity_card", "driving_licence")
        ):
            return _json({"error": {"type": "validation_error"}}, 422)
        document = {
            "id": f"document-{len(self.documents) + 1}",
            "type": form["type"],
            "side": form.get("side"),
            "issuing_country": form.get("issuing_country"),
            "bytes": upload.read(),
        }
        self.documents.append(document)
        return _json({"id": document["id"], "type": document["type"]}, 201)

    def upload_live_photo(self, request: Request):
        if not self._authorized(request):
            return self._denied()
        upload = request.files.get("file")
        if request.form.get("applicant_id") not in self.applicants or upload is None:
            return _json({"error": {"type": "validation_error"}}, 422)
        self.live_photos.append({"bytes": upload.read()})
        return _json({"id": f"live-photo-{len(self.live_photos)}"}, 201)

    def create_check(self, request: Request):
        if not self._authorized(request):
            return self._denied()
        body = request.get_json()
        if body.get("applicant_id") not in self.applicants:
            return _json({"error": {"type": "validation_error"}}, 422)
        check_id = f"check-{len(self.checks) + 1}"
        self.checks[check_id] = {"id": check_id, "status": "in_progress", "result": None, **body}
        return _json(self.checks[check_id], 201)

    def get_check(self, request: Request):
        if not self._authorized(request):
            return self._denied()
        check = self.checks.get(request.path.rsplit("/", 1)[1])
        if check is None:
            return _json({"error": {"type": "resource_not_found"}}, 404)
        return _json(check)

    def complete(self, check_id: str, result: str = "clear"):
        self.checks[check_id].update(status="complete", result=result)
