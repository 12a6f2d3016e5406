"""HokweDoc, the document vault: uploads (magic bytes, antivirus, size limit, encrypted at
rest), the keyset listing and its search, folders, the access log, retention, and one
organization never seeing another's documents (REST, GraphQL, pages)."""

from __future__ import annotations

import io
import socket
import struct
import threading
from datetime import timedelta

import pytest
from django.core.files.storage import storages
from django.utils import timezone

from apps.cms import api as cms
from apps.cms import selectors
from apps.cms.contracts import OpenedDocument
from apps.cms.models import VaultAccess, VaultDocument, VaultFolder
from apps.cms.services import vault as svc
from tests.helpers import bearer_client, gql, gql_response
from tests.identity.factories import MembershipFactory, OrganizationFactory, UserFactory

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
# The EICAR test file, in two halves so this source file is not itself reported by a scanner.
EICAR = b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
DOCS = "/api/v1/cms/vault/documents"


@pytest.fixture
def org(db):
    return OrganizationFactory(name="Agence du Coffre")


@pytest.fixture
def manager(org):
    return MembershipFactory(organization=org, role="manager").user


@pytest.fixture
def rival(db):
    other = OrganizationFactory(name="Agence Rivale")
    return MembershipFactory(organization=other, role="owner").user


@pytest.fixture
def api(manager):
    return bearer_client(manager)


def upload(client, org, data=PDF, filename="bail.pdf", **fields):
    body = {"file": io.BytesIO(data), "organization": str(org.public_id), **fields}
    body["file"].name = filename
    return client.post(DOCS, body, format="multipart", HTTP_ACCEPT_LANGUAGE="fr")


class FakeClamd:
    """A clamd speaking its documented INSTREAM protocol (clamd(8)): "stream: OK", or
    "stream: Eicar-Test-Signature FOUND" when the stream is the EICAR file."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.url = f"tcp://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._serve, daemon=True).start()

    def _read(self, conn, n):
        data = b""
        while len(data) < n:
            chunk = conn.recv(n - len(data))
            if not chunk:
                break
            data += chunk
        return data

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += conn.recv(1)
                if command == b"zPING\0":
                    conn.sendall(b"PONG\0")
                    continue
                if command == b"zVERSION\0":
                    conn.sendall(b"ClamAV 1.4.6/1/test\0")
                    continue
                stream = b""
                while True:
                    (size,) = struct.unpack(">I", self._read(conn, 4))
                    if size == 0:
                        break
                    stream += self._read(conn, size)
                found = stream == EICAR
                conn.sendall(b"stream: Eicar-Test-Signature FOUND\0" if found else b"stream: OK\0")

    def close(self):
        self.sock.close()


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.CLAMD_URL = server.url
    yield server
    server.close()


# --- uploads ---------------------------------------------------------------------------------


def test_an_upload_is_encrypted_at_rest_and_downloads_as_sent(api, org, manager, clamd):
    answer = upload(api, org, PDF, "Bail Fidjrossè.pdf", tags=["bail", "2026"])
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["name"] == "Bail Fidjrossè.pdf" and body["kind"] == "upload" and body["origin"] == "uploaded"
    assert body["content_type"] == "application/pdf" and body["size"] == len(PDF)
    assert body["organization"] == str(org.public_id) and body["tags"] == ["2026", "bail"]
    row = VaultDocument.objects.get(public_id=body["id"])
    with storages["default"].open(row.storage_name, "rb") as handle:
        stored = handle.read()
    assert PDF not in stored and stored.startswith(b"HKE1")  # never the plaintext on disk
    download = api.get(f"{DOCS}/{body['id']}/download")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Type"] == "application/pdf" and "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    log = list(VaultAccess.objects.filter(document=row).order_by("id").values_list("action", "actor_id"))
    assert log == [("upload", manager.pk), ("download", manager.pk)]


def test_a_fake_extension_is_refused_with_a_clear_message(api, org, clamd):
    exe = upload(api, org, EXE, "releve.pdf")
    assert exe.status_code == 415 and exe.json()["code"] == "vault_file_type_refused"
    assert "ce que dit son nom" in exe.json()["detail"] or "type accepté" in exe.json()["detail"]
    png = upload(api, org, PNG, "quittance.pdf")
    assert png.status_code == 415
    assert png.json()["detail"] == (
        "Le nom du fichier dit .pdf mais son contenu est PNG : renommez-le ou envoyez le bon fichier."
    )
    assert upload(api, org, PNG, "photo.png").status_code == 201
    assert VaultDocument.objects.count() == 1


def test_the_eicar_test_file_is_refused_by_the_antivirus(api, org, clamd):
    answer = upload(api, org, EICAR, "facture.pdf")
    assert answer.status_code == 422
    assert answer.json()["code"] == "vault_file_infected"
    assert "Eicar-Test-Signature" in answer.json()["detail"] and "virus" in answer.json()["detail"]
    assert not VaultDocument.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_read(api, org, clamd, settings):
    settings.CMS_VAULT_MAX_UPLOAD_BYTES = 1024 * 1024
    answer = upload(api, org, PDF + b"0" * (1024 * 1024), "gros.pdf")
    assert answer.status_code == 413
    assert (
        answer.json()["detail"] == "Le fichier est trop lourd : 1 Mo, au plus 1 Mo."
        or "Mo" in answer.json()["detail"]
    )
    assert not VaultDocument.objects.exists()


def test_no_scanner_answering_refuses_the_file_for_now(api, org, settings, unused_tcp_port):
    settings.CLAMD_URL = f"tcp://127.0.0.1:{unused_tcp_port}"
    answer = upload(api, org, PDF, "bail.pdf")
    assert answer.status_code == 503 and not VaultDocument.objects.exists()


# --- generated documents ----------------------------------------------------------------------


def test_a_generated_document_is_filed_once_per_vault_and_opened_through_its_module(org, manager):
    tenant = UserFactory()
    opened = []

    def opener(source_id):
        opened.append(source_id)
        return OpenedDocument(PDF, "application/pdf", f"avis-{source_id}.pdf") if source_id == "n1" else None

    cms.register_document_source("tests.notice", opener)
    first = cms.file_generated_document(
        kind="notice",
        title="Avis d'échéance mars 2026",
        source="tests.notice",
        source_id="n1",
        organization_id=org.pk,
        user_ids=[tenant.pk],
        metadata={"period": "2026-03", "unit": "B2"},
    )
    again = cms.file_generated_document(
        kind="notice",
        title="x",
        source="tests.notice",
        source_id="n1",
        organization_id=org.pk,
        user_ids=[tenant.pk],
    )
    assert first == again and len(first.public_ids) == 2
    rows = VaultDocument.objects.filter(source="tests.notice")
    assert {(r.organization_id, r.user_id) for r in rows} == {(org.pk, None), (None, tenant.pk)}
    assert all(r.storage_name == "" and r.size == 0 for r in rows)  # referenced, never copied
    mine = bearer_client(tenant).get(DOCS)
    assert [d["name"] for d in mine.json()["results"]] == ["Avis d'échéance mars 2026"]
    download = bearer_client(tenant).get(f"{DOCS}/{mine.json()['results'][0]['id']}/download")
    assert download.content == PDF and 'filename="avis-n1.pdf"' in download["Content-Disposition"]
    # its module no longer has it: 410, never a 500
    cms.file_generated_document(
        kind="notice", title="Parti", source="tests.notice", source_id="gone", user_ids=[tenant.pk]
    )
    gone = VaultDocument.objects.get(source_id="gone")
    assert bearer_client(tenant).get(f"{DOCS}/{gone.public_id}/download").status_code == 410
    # a legal document is kept for its retention: deleting it is refused
    refused = bearer_client(manager).delete(f"{DOCS}/{rows.get(organization=org).public_id}")
    assert refused.status_code == 409 and refused.json()["code"] == "vault_retention_held"


# --- listing, search, folders -----------------------------------------------------------------


def _docs(owner_org, n, **extra):
    return [
        cms.file_generated_document(
            kind="invoice",
            title=f"Facture {i:03d}",
            source="tests.invoice",
            source_id=f"{owner_org.pk}-{i}",
            organization_id=owner_org.pk,
            metadata={"client": "Société Ébène" if i % 2 else "Maison Kora", **extra},
        )
        for i in range(n)
    ]


def test_the_listing_pages_by_keyset_newest_first_with_a_query_ceiling(
    api, org, django_assert_max_num_queries
):
    _docs(org, 25)
    seen, cursor = [], None
    for _ in range(4):
        params = {"organization": str(org.public_id), "page_size": 10}
        if cursor:
            params["cursor"] = cursor
        with django_assert_max_num_queries(12):
            page = api.get(DOCS, params).json()
        seen += [d["name"] for d in page["results"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == [f"Facture {i:03d}" for i in range(24, -1, -1)]
    assert api.get(DOCS, {"organization": str(org.public_id), "cursor": "forged"}).status_code == 400


def test_the_graphql_listing_has_the_same_pages_and_a_query_ceiling(api, org, django_assert_max_num_queries):
    _docs(org, 12)
    query = """query($org: UUID, $after: String) { cmsVaultDocuments(organization: $org, first: 5, after: $after)
      { items { id name kind tags metadata downloadUrl } nextCursor } }"""
    with django_assert_max_num_queries(14):
        first = gql(api, query, {"org": str(org.public_id)})["cmsVaultDocuments"]
    second = gql(api, query, {"org": str(org.public_id), "after": first["nextCursor"]})["cmsVaultDocuments"]
    names = [d["name"] for d in first["items"] + second["items"]]
    assert names == [f"Facture {i:03d}" for i in range(11, 1, -1)]
    rest = api.get(DOCS, {"organization": str(org.public_id), "page_size": 5}).json()
    assert [d["id"] for d in rest["results"]] == [d["id"] for d in first["items"]]


def test_search_finds_names_and_metadata_without_accents_and_by_prefix(api, org):
    _docs(org, 6)
    found = api.get(DOCS, {"organization": str(org.public_id), "q": "societe eben"}).json()["results"]
    assert sorted(d["name"] for d in found) == ["Facture 001", "Facture 003", "Facture 005"]
    assert [
        d["name"]
        for d in api.get(DOCS, {"organization": str(org.public_id), "q": "facture 004"}).json()["results"]
    ] == ["Facture 004"]
    assert api.get(DOCS, {"organization": str(org.public_id), "q": "introuvable"}).json()["results"] == []
    assert api.get(DOCS, {"organization": str(org.public_id), "q": "'&|!:*()"}).status_code == 200


def test_folders_form_a_tree_and_a_folder_never_goes_inside_itself(api, org, manager):
    owner = svc.Owner(organization_id=org.pk)
    root = svc.folder_create(actor=manager, owner=owner, name="Baux")
    child = svc.folder_create(actor=manager, owner=owner, name="2026", parent_id=root.public_id)
    with pytest.raises(svc.VaultNameInvalid):
        svc.folder_create(actor=manager, owner=owner, name="baux")
    moved = api.patch(
        f"/api/v1/cms/vault/folders/{root.public_id}", {"parent": str(child.public_id)}, format="json"
    )
    assert moved.status_code == 400 and moved.json()["code"] == "vault_folder_invalid"
    tree = api.get("/api/v1/cms/vault/folders", {"organization": str(org.public_id)}).json()
    assert [(f["path"], f["depth"]) for f in tree] == [("Baux", 0), ("Baux/2026", 1)]
    (doc,) = _docs(org, 1)
    api.patch(f"{DOCS}/{doc.public_ids[0]}", {"folder": str(child.public_id)}, format="json")
    listed = api.get(DOCS, {"organization": str(org.public_id), "folder": str(child.public_id)}).json()
    assert [d["id"] for d in listed["results"]] == [doc.public_ids[0]]
    assert api.delete(f"/api/v1/cms/vault/folders/{child.public_id}").status_code == 409
    api.patch(f"{DOCS}/{doc.public_ids[0]}", {"folder": None}, format="json")
    assert api.delete(f"/api/v1/cms/vault/folders/{child.public_id}").status_code == 204
    assert VaultFolder.objects.filter(pk=child.pk).count() == 0


# --- retention --------------------------------------------------------------------------------


def test_the_purge_removes_expired_uploads_never_a_legal_document_before_its_time(
    api, org, manager, clamd, settings
):
    settings.CMS_VAULT_RETENTION_DAYS = {**settings.CMS_VAULT_RETENTION_DAYS, "upload": 30}
    body = upload(api, org, PDF, "scan.pdf").json()
    row = VaultDocument.objects.get(public_id=body["id"])
    name = row.storage_name
    (legal,) = [VaultDocument.objects.get(public_id=p) for p in _docs(org, 1)[0].public_ids]
    assert svc.purge_expired(today=timezone.localdate() + timedelta(days=29)) == 0
    assert svc.purge_expired(today=timezone.localdate() + timedelta(days=31)) == 1
    row.refresh_from_db()
    assert row.deleted_at is not None and row.storage_name == "" and not storages["default"].exists(name)
    legal.refresh_from_db()
    assert legal.deleted_at is None and legal.retain_until > timezone.localdate() + timedelta(days=3000)
    assert VaultAccess.objects.filter(document=row, action="purge").count() == 1


# --- isolation --------------------------------------------------------------------------------


def test_another_organization_never_sees_nor_touches_a_document(api, org, rival, manager):
    (filed,) = _docs(org, 1)
    doc_id = filed.public_ids[0]
    other = bearer_client(rival)
    assert other.get(DOCS, {"organization": str(org.public_id)}).status_code == 404
    assert other.get(f"{DOCS}/{doc_id}").status_code == 404
    assert other.get(f"{DOCS}/{doc_id}/download").status_code == 404
    assert other.post(f"{DOCS}/{doc_id}/shares", {}, format="json").status_code == 404
    assert other.patch(f"{DOCS}/{doc_id}", {"name": "Pris"}, format="json").status_code == 404
    assert other.delete(f"{DOCS}/{doc_id}").status_code == 404
    assert other.get("/api/v1/cms/vault/access-log", {"organization": str(org.public_id)}).status_code == 404
    assert other.get(DOCS).json()["results"] == []  # their own vault: empty
    assert (
        gql(other, f'{{ cmsVaultDocument(documentId: "{doc_id}") {{ id name }} }}')["cmsVaultDocument"]
        is None
    )
    payload = gql(
        other,
        f'mutation {{ cmsVaultShareCreate(documentId: "{doc_id}") {{ ok errors {{ code }} share {{ url }} }} }}',
    )
    assert payload["cmsVaultShareCreate"]["ok"] is False and payload["cmsVaultShareCreate"]["share"] is None
    listing = gql_response(
        other, f'{{ cmsVaultDocuments(organization: "{org.public_id}") {{ items {{ name }} }} }}'
    )
    assert "Facture" not in str(listing)
    other.force_authenticate(rival)
    from django.test import Client

    page = Client()
    page.force_login(rival)
    assert page.get(f"/vault/d/{doc_id}/").status_code == 404
    assert page.get(f"/manager/cms/vault/?org={org.public_id}").status_code == 404
    assert VaultDocument.objects.get(public_id=doc_id).name == "Facture 000"
    assert selectors.vault_access_log(svc.Owner(organization_id=org.pk))[0].action == "file"


def test_the_manager_pages_list_search_upload_and_show_the_log(org, manager, clamd):
    from django.test import Client

    _docs(org, 3)
    page = Client()
    page.force_login(manager)
    home = page.get("/manager/cms/vault/", {"q": "kora"})
    assert home.status_code == 200
    text = home.content.decode()
    assert "Facture 000" in text and "Facture 002" in text and "Facture 001" not in text
    sent = page.post(
        "/vault/upload/",
        {
            "org": str(org.public_id),
            "file": _named(PDF, "etat-des-lieux.pdf"),
            "name": "État des lieux",
            "tags": "entrée",
        },
    )
    assert sent.status_code == 302
    refused = page.post(
        "/vault/upload/", {"org": str(org.public_id), "file": _named(EXE, "virus.pdf")}, follow=True
    )
    assert "type accepté" in refused.content.decode() or "contenu" in refused.content.decode()
    document = VaultDocument.objects.get(name="État des lieux")
    detail = page.get(f"/vault/d/{document.public_id}/")
    assert detail.status_code == 200 and "État des lieux" in detail.content.decode()
    log = page.get("/vault/log/", {"org": str(org.public_id)})
    assert log.status_code == 200 and "État des lieux" in log.content.decode()


def _named(data, name):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data)


def test_a_search_pages_through_the_newest_window_first_and_misses_nothing(org, settings):
    """vault_page looks for a search's page among the newest CMS_VAULT_SEARCH_WINDOW documents
    first: whatever the window and the page size, paging through with the cursors gives every
    match once, newest first, as the search over the whole vault does (a common word fills
    its pages from the window, a rare one falls through to the whole vault)."""
    from apps.cms.services.vault import Owner

    names = ["Bail rare" if i in (3, 11) else f"Quittance {i}" if i % 3 else f"Avis {i}" for i in range(40)]
    cms.file_generated_documents(
        [
            {
                "kind": "other",
                "title": name,
                "source": "tests.window",
                "source_id": str(i),
                "organization_id": org.pk,
            }
            for i, name in enumerate(names)
        ]
    )
    owner = Owner(organization_id=org.pk)
    everything = {q: list(selectors.vault_documents(owner, query=q)) for q in ("quittance", "bail", "avis")}
    assert [len(v) for v in everything.values()] == [25, 2, 13]
    for window in (0, 1, 5, 12, 100):
        settings.CMS_VAULT_SEARCH_WINDOW = window
        for limit in (1, 3, 7):
            for query, expected in everything.items():
                seen, cursor = [], None
                while True:
                    page, cursor = selectors.vault_page(
                        selectors.vault_documents(owner, query=query), cursor=cursor, limit=limit
                    )
                    seen += page
                    if cursor is None:
                        break
                assert [d.pk for d in seen] == [d.pk for d in expected], (window, limit, query)
