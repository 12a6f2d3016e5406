"""CDN and private media (issue 24; apps/core/media.py): static files under hashed names on the
CDN's host with a year's immutable caching; private files only through short-lived signed
URLs — CloudFront's (verified here with the key pair's public half, as CloudFront does), S3's
presigned ones, or the embedded default's own signed links."""

import base64
import html
import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import time_machine
import yaml
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.core.management import call_command
from django.templatetags.static import static
from django.test import RequestFactory

from apps.core import media
from apps.core.gateway import page_policy
from tests.core.test_settings_profiles import PROD_ENV as _PROD_ENV
from tests.core.test_settings_profiles import run_manage

ROOT = Path(__file__).resolve().parents[2]
CDN = "https://cdn.hokwe.example"
MEDIA_CDN = "https://media.hokwe.example"
# The prod profile's environment (plus the antivirus prod requires since the vault's uploads).
PROD_ENV = {"CLAMD_URL": "tcp://clamav:3310", **_PROD_ENV}
HASHED = re.compile(r"^css/app\.[0-9a-f]{12}\.css$")


def _directives(header: str) -> set[str]:
    return {part.strip() for part in header.split(",")}


# --- static files --------------------------------------------------------------------------


@pytest.fixture
def collected(tmp_path, settings):
    """collectstatic of two small files into a temporary STATIC_ROOT with the prod storage
    (whitenoise's compressed manifest), links on the CDN's host."""
    source = tmp_path / "src"
    (source / "css").mkdir(parents=True)
    (source / "css" / "app.css").write_text("body { background: url('../img/logo.svg'); }\n")
    (source / "img").mkdir()
    (source / "img" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>\n')
    settings.STATICFILES_DIRS = [source]
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STATIC_URL = f"{CDN}/static/"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    settings.WHITENOISE_MAX_AGE = 3600
    call_command("collectstatic", interactive=False, verbosity=0)
    return settings.STATIC_ROOT


def test_static_links_point_at_the_cdn_under_hashed_names(collected):
    url = static("css/app.css")
    assert url.startswith(f"{CDN}/static/")
    name = url.removeprefix(f"{CDN}/static/")
    assert HASHED.match(name), url
    # The stylesheet's own links were rewritten to the hashed (CDN-relative) names too.
    css = (collected / name).read_text()
    assert re.search(r"url\(['\"]?\.\./img/logo\.[0-9a-f]{12}\.svg", css), css


def test_the_origin_serves_hashed_names_for_a_year_immutable_and_others_an_hour(collected):
    middleware = media.StaticFilesMiddleware(lambda request: pytest.fail("not a static file"))
    hashed = static("css/app.css").removeprefix(CDN)
    response = middleware(RequestFactory().get(hashed))
    assert response.status_code == 200
    assert _directives(response["Cache-Control"]) == {"public", "max-age=31536000", "immutable"}
    assert response["Access-Control-Allow-Origin"] == "*"  # fonts from the CDN's host
    assert response["Cross-Origin-Resource-Policy"] == "cross-origin"
    plain = middleware(RequestFactory().get("/static/css/app.css"))
    assert plain.status_code == 200
    assert _directives(plain["Cache-Control"]) == {"public", "max-age=3600"}


def test_pages_allow_the_cdn_and_the_media_hosts_in_their_csp(settings):
    settings.CLOUDFRONT_MEDIA_URL = f"{MEDIA_CDN}/"
    policy = {d.split(" ", 1)[0]: d.split(" ")[1:] for d in page_policy("n0nce", "/manager/").split("; ")}
    assert CDN not in policy["script-src"]  # STATIC_URL is /static/ in the test profile
    settings.STATIC_URL = f"{CDN}/static/"
    policy = {d.split(" ", 1)[0]: d.split(" ")[1:] for d in page_policy("n0nce", "/manager/").split("; ")}
    for directive in ("script-src", "style-src", "img-src", "font-src"):
        assert CDN in policy[directive], directive
    assert MEDIA_CDN in policy["img-src"] and MEDIA_CDN not in policy["script-src"]


def test_the_gateway_keeps_the_apps_cache_headers_on_static_files():
    conf = (ROOT / "deploy" / "nginx" / "nginx.conf").read_text()
    block = re.search(r"location /static/ \{(.*?)\n    \}", conf, re.DOTALL).group(1)
    assert "proxy_pass http://hokwe_web;" in block and "proxy_cache static;" in block
    assert "expires" not in block and not re.search(r"add_header\s+Cache-Control", block)
    media_block = re.search(r"location /media/ \{(.*?)\}", conf, re.DOTALL).group(1)
    assert "return 404;" in media_block  # private files are never served from the app's host


# --- CloudFront signed URLs ----------------------------------------------------------------


def _cf_b64decode(text: str) -> bytes:
    """CloudFront's URL-safe base64: + → -, = → _, / → ~."""
    return base64.b64decode(text.replace("-", "+").replace("_", "=").replace("~", "/"))


def verify_cloudfront_url(url: str, public_key, *, key_id: str, now: datetime) -> bool:
    """What CloudFront checks on a canned-policy URL: the key pair, the RSA-SHA1 signature of
    the policy it rebuilds from the resource and Expires, and that Expires has not passed."""
    resource, _, query = url.partition("?")
    params = {name: values[0] for name, values in parse_qs(query, keep_blank_values=True).items()}
    if set(params) != {"Expires", "Signature", "Key-Pair-Id"} or params["Key-Pair-Id"] != key_id:
        return False
    expires = int(params["Expires"])
    policy = json.dumps(
        {"Statement": [{"Resource": resource, "Condition": {"DateLessThan": {"AWS:EpochTime": expires}}}]},
        separators=(",", ":"),
    ).encode()
    try:
        public_key.verify(_cf_b64decode(params["Signature"]), policy, padding.PKCS1v15(), hashes.SHA1())
    except InvalidSignature:
        return False
    return now.timestamp() < expires


@pytest.fixture(scope="module")
def key_pair():
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return private, pem


@pytest.fixture
def cloudfront(settings, key_pair):
    settings.CLOUDFRONT_KEY_ID = "K2JCJMDEHXQW5F"
    settings.CLOUDFRONT_PRIVATE_KEY = key_pair[1]
    settings.CLOUDFRONT_MEDIA_URL = MEDIA_CDN
    return key_pair[0].public_key()


def test_cloudfront_url_is_signed_with_the_key_pair_and_expires(cloudfront):
    now = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        url = media.private_url("billing/invoices/2026/facture été.pdf", expires_in=120)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == MEDIA_CDN
    assert parts.path == "/billing/invoices/2026/facture%20%C3%A9t%C3%A9.pdf"
    assert parse_qs(parts.query)["Expires"] == [str(int(now.timestamp()) + 120)]
    assert verify_cloudfront_url(url, cloudfront, key_id="K2JCJMDEHXQW5F", now=now)
    # Valid until its last second, refused from Expires on.
    assert verify_cloudfront_url(url, cloudfront, key_id="K2JCJMDEHXQW5F", now=now + timedelta(seconds=119))
    assert not verify_cloudfront_url(
        url, cloudfront, key_id="K2JCJMDEHXQW5F", now=now + timedelta(seconds=120)
    )


def test_a_cloudfront_url_cannot_be_moved_to_another_file_extended_or_signed_by_another_key(cloudfront):
    now = datetime.now(UTC)
    url = media.private_url("vault/a.pdf")  # PRIVATE_MEDIA_TTL_SECONDS: 300
    assert int(parse_qs(urlsplit(url).query)["Expires"][0]) - now.timestamp() == pytest.approx(300, abs=5)
    assert verify_cloudfront_url(url, cloudfront, key_id="K2JCJMDEHXQW5F", now=now)
    assert not verify_cloudfront_url(
        url.replace("/vault/a.pdf", "/vault/b.pdf"), cloudfront, key_id="K2JCJMDEHXQW5F", now=now
    )
    expires = parse_qs(urlsplit(url).query)["Expires"][0]
    later = url.replace(f"Expires={expires}", f"Expires={int(expires) + 86400}")
    assert not verify_cloudfront_url(later, cloudfront, key_id="K2JCJMDEHXQW5F", now=now)
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048).public_key()
    assert not verify_cloudfront_url(url, other, key_id="K2JCJMDEHXQW5F", now=now)


def test_cloudfront_key_may_be_given_as_base64_of_the_pem(cloudfront, settings, key_pair):
    settings.CLOUDFRONT_PRIVATE_KEY = base64.b64encode(key_pair[1].encode()).decode()
    now = datetime.now(UTC)
    assert verify_cloudfront_url(media.private_url("r/1.pdf"), cloudfront, key_id="K2JCJMDEHXQW5F", now=now)


def test_cloudfront_signs_the_objects_key_under_the_s3_storages_location(cloudfront, settings):
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(location="media")}
    url = media.private_url("vault/a.pdf")
    assert urlsplit(url).path == "/media/vault/a.pdf"
    assert verify_cloudfront_url(url, cloudfront, key_id="K2JCJMDEHXQW5F", now=datetime.now(UTC))


@pytest.mark.parametrize("expires_in", [0, -5, 7 * 24 * 3600 + 1])
def test_a_link_lives_between_a_second_and_a_week(cloudfront, expires_in):
    with pytest.raises(ValueError):
        media.private_url("vault/a.pdf", expires_in=expires_in)


# --- S3 presigned URLs ---------------------------------------------------------------------


def _s3_storage(**options):
    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "hokwe-private",
            "endpoint_url": "https://s3.example.com",
            "region_name": "eu-west-3",
            "access_key": "AKIAHOKWETEST",
            "secret_key": "test-secret-key",
            "querystring_auth": True,
            "default_acl": None,
            "addressing_style": "path",
            **options,
        },
    }


def test_without_cloudfront_an_s3_file_gets_a_presigned_url(settings):
    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage()}
    url = media.private_url("kyc/2026/12/receipt.pdf", expires_in=90)  # boto3 signs locally
    parts = urlsplit(url)
    params = parse_qs(parts.query)
    assert parts.netloc == "s3.example.com"
    assert parts.path == "/hokwe-private/kyc/2026/12/receipt.pdf"
    assert params["X-Amz-Expires"] == ["90"]
    assert params["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert params["X-Amz-Credential"][0].startswith("AKIAHOKWETEST/")
    assert re.fullmatch(r"[0-9a-f]{64}", params["X-Amz-Signature"][0])
    # Never the plain (public) object URL, and another lifetime is another signature.
    assert parts.query and url != "https://s3.example.com/hokwe-private/kyc/2026/12/receipt.pdf"
    again = parse_qs(urlsplit(media.private_url("kyc/2026/12/receipt.pdf", expires_in=91)).query)
    assert again["X-Amz-Signature"] != params["X-Amz-Signature"]


def test_an_s3_storage_that_does_not_sign_its_urls_gets_no_link(settings):
    from django.core.exceptions import ImproperlyConfigured

    settings.STORAGES = {**settings.STORAGES, "default": _s3_storage(querystring_auth=False)}
    with pytest.raises(ImproperlyConfigured):
        media.private_url("kyc/2026/12/receipt.pdf")


def test_the_prod_profile_stores_files_privately_and_links_static_files_on_the_cdn():
    code = (
        "import json; from django.conf import settings; from django.core.files.storage import storages;"
        "s = storages['default'];"
        "print(json.dumps({'static': settings.STATIC_URL, 'backend': type(s).__name__,"
        " 'querystring_auth': s.querystring_auth, 'acl': s.default_acl,"
        " 'staticfiles': settings.STORAGES['staticfiles']['BACKEND'],"
        " 'middleware': 'apps.core.media.StaticFilesMiddleware' in settings.MIDDLEWARE}))"
    )
    result = run_manage(["shell", "-c", code], dict(PROD_ENV, CDN_URL=f"{CDN}/"))
    assert result.returncode == 0, result.stderr[-2000:]
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert found == {
        "static": f"{CDN}/static/",
        "backend": "S3Storage",
        "querystring_auth": True,
        "acl": None,  # the bucket's own ACL: private (docs/operations.md)
        "staticfiles": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "middleware": True,
    }


def test_the_prod_profile_refuses_a_half_configured_or_unusable_cloudfront():
    half = run_manage(
        ["check"], dict(PROD_ENV, CLOUDFRONT_KEY_ID="K2JCJMDEHXQW5F", CDN_URL="http://cdn.example")
    )
    assert half.returncode != 0
    assert "missing: CLOUDFRONT_PRIVATE_KEY, CLOUDFRONT_MEDIA_URL" in half.stderr
    assert "CDN_URL must be an https:// URL" in half.stderr
    bad_key = dict(
        PROD_ENV,
        CLOUDFRONT_KEY_ID="K2JCJMDEHXQW5F",
        CLOUDFRONT_PRIVATE_KEY="not a key",
        CLOUDFRONT_MEDIA_URL=MEDIA_CDN,
    )
    result = run_manage(["check"], bad_key)
    assert result.returncode != 0 and "CLOUDFRONT_PRIVATE_KEY is not an RSA private key" in result.stderr


# --- the embedded default: links signed by the app -----------------------------------------


@pytest.fixture
def on_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "estate").mkdir()
    (tmp_path / "estate" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0 a photo")
    return tmp_path


def test_on_disk_a_private_file_is_served_through_a_signed_link_until_it_expires(client, on_disk):
    now = datetime(2026, 12, 4, 13, 0, tzinfo=UTC)
    with time_machine.travel(now, tick=False):
        url = media.private_url("estate/photo.jpg", expires_in=60)
    assert url.startswith("/media/private/") and "photo" not in url
    with time_machine.travel(now + timedelta(seconds=59), tick=False):
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == b"\xff\xd8\xff\xe0 a photo"
        assert response["Content-Type"] == "image/jpeg"
        assert response["Cache-Control"] == "private, no-store"
        assert "sandbox" in response["Content-Security-Policy"]
    with time_machine.travel(now + timedelta(seconds=61), tick=False):
        assert client.get(url).status_code == 404


def test_a_forged_or_altered_local_link_finds_nothing(client, on_disk):
    url = media.private_url("estate/photo.jpg")
    token = url.removeprefix("/media/private/")
    assert (
        client.get("/media/private/" + token[:-2] + ("AA" if token[-2:] != "AA" else "BB")).status_code == 404
    )
    from django.core import signing

    forged = signing.dumps(
        {"s": "default", "n": "../../etc/passwd", "e": 4102444800}, salt=media.SIGNING_SALT
    )
    assert client.get(f"/media/private/{forged}").status_code == 404  # outside MEDIA_ROOT
    missing = media.private_url("estate/none.jpg")
    assert client.get(missing).status_code == 404
    assert client.post(url).status_code == 405


# --- deployment ----------------------------------------------------------------------------


def test_the_deployment_files_configure_the_cdn_and_keep_the_key_secret():
    example = (ROOT / "deploy" / "env.example").read_text()
    for name in ("CDN_URL", "CLOUDFRONT_KEY_ID", "CLOUDFRONT_PRIVATE_KEY", "CLOUDFRONT_MEDIA_URL"):
        assert re.search(rf"^#? ?{name}=", example, re.MULTILINE), name
    docs = [d for d in yaml.safe_load_all((ROOT / "deploy" / "k8s" / "config.yaml").read_text()) if d]
    config = next(d for d in docs if d["kind"] == "ConfigMap")["data"]
    assert {"CDN_URL", "CLOUDFRONT_KEY_ID", "CLOUDFRONT_MEDIA_URL"} <= set(config)
    assert "CLOUDFRONT_PRIVATE_KEY" not in config
    secrets = [d for d in docs if d["kind"] == "Secret"]
    assert any("CLOUDFRONT_PRIVATE_KEY" in d.get("stringData", {}) for d in secrets)


def test_templates_link_private_files_through_signed_urls(client, on_disk, cloudfront, settings):
    """`|private_url` (the estate's photos, the profile's avatar): the embedded default's own
    link that opens the file; CloudFront's signed URL when configured; nothing without a file."""
    from django.core.files.storage import default_storage
    from django.db.models.fields.files import FieldFile
    from django.template import Context, Template

    from apps.estate.models import PropertyPhoto

    photo = PropertyPhoto(image="estate/photo.jpg")
    assert isinstance(photo.image, FieldFile) and photo.image.storage is default_storage
    template = Template("{% load private_files %}{{ file|private_url }}")
    signed = html.unescape(template.render(Context({"file": photo.image})))  # &amp; in the attribute
    assert verify_cloudfront_url(signed, cloudfront, key_id="K2JCJMDEHXQW5F", now=datetime.now(UTC))
    settings.CLOUDFRONT_KEY_ID = ""
    local = template.render(Context({"file": photo.image}))
    assert local.startswith("/media/private/")
    assert b"".join(client.get(local).streaming_content) == b"\xff\xd8\xff\xe0 a photo"
    assert template.render(Context({"file": PropertyPhoto().image})) == ""
