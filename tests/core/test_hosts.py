"""Host-based routing (apps/core/hosts.py; docs/operations.md, "Hosts"): each product host's
root lands on its product; every other path, and every other host, is left alone."""

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from apps.core import conf
from apps.core.hosts import HostRouterMiddleware, host_prefixes

# The founding document's product hosts and what each one shows.
PRODUCT_HOSTS = {
    "manager.hokwe.com": "/manager/",
    "pay.hokwepay.me": "/pay/",
    "recover.hokwepay.me": "/recover/",
    "marchand.hokwepay.me": "/merchant/",
    "checkout.hokwepay.me": "/checkout/",
    "booking.hokwe.com": "/booking/",
    "market.hokwe.com": "/market/",
}
# The public sites: Wagtail matches its Site by host name; the router never touches them.
SITE_HOSTS = ("hokwe.co", "hokwe.com", "pay.hokwe.com")
ALL_HOSTS = [*settings.ALLOWED_HOSTS, *PRODUCT_HOSTS, *SITE_HOSTS, "recover.staging.hokwepay.me"]


def _router(body="passed through"):
    seen = []

    def view(request):
        seen.append(request.path)
        return HttpResponse(body)

    return HostRouterMiddleware(view), seen


def test_every_founding_document_host_is_declared_with_its_product():
    assert settings.HOKWE_HOSTS == PRODUCT_HOSTS
    assert not set(SITE_HOSTS) & set(settings.HOKWE_HOSTS)


@override_settings(ALLOWED_HOSTS=ALL_HOSTS)
@pytest.mark.parametrize(("host", "prefix"), sorted(PRODUCT_HOSTS.items()))
def test_a_product_hosts_root_redirects_to_its_product(client, host, prefix):
    response = client.get("/", HTTP_HOST=host)
    assert response.status_code == 302
    assert response["Location"] == prefix
    # with a port, in capitals, with the query string kept
    response = client.get("/?utm_source=sms&lang=fr", HTTP_HOST=f"{host.upper()}:443")
    assert response.status_code == 302
    assert response["Location"] == f"{prefix}?utm_source=sms&lang=fr"
    assert client.head("/", HTTP_HOST=host)["Location"] == prefix


@override_settings(ALLOWED_HOSTS=ALL_HOSTS)
@pytest.mark.django_db
def test_the_debtor_portal_host_no_longer_lands_on_the_manager(client):
    response = client.get("/", HTTP_HOST="recover.hokwepay.me", follow=True)
    assert response.redirect_chain[0] == ("/recover/", 302)
    assert all(not url.startswith("/manager/") for url, _status in response.redirect_chain)


@override_settings(ALLOWED_HOSTS=ALL_HOSTS)
@pytest.mark.django_db
def test_the_root_of_the_product_hosts_reaches_pages_that_exist(client):
    """/manager/ (the login), /pay/ (the tenant's space), /merchant/ (the POS, after login),
    /market/ and /booking/ answer; /recover/ and /checkout/, reached through a token (a
    debtor's link, a partner's widget), have a landing page saying where that link comes from."""
    for host, prefix in PRODUCT_HOSTS.items():
        response = client.get(prefix, HTTP_HOST=host, follow=True)
        assert response.status_code == 200, host


@override_settings(ALLOWED_HOSTS=ALL_HOSTS)
@pytest.mark.django_db
def test_other_paths_are_served_on_every_host(client):
    """The choice (apps/core/hosts.py): sessions belong to one host name and the login lives
    under /manager/, so a collector on recover.hokwepay.me logs in there, on that host."""
    response = client.get("/manager/login/", HTTP_HOST="recover.hokwepay.me")
    assert response.status_code == 200
    response = client.get("/recover/field/", HTTP_HOST="recover.hokwepay.me")
    assert response.status_code == 302 and response["Location"].startswith("/manager/login/")
    assert client.get("/healthz", HTTP_HOST="marchand.hokwepay.me").status_code == 200
    # a POST to a product host's root is not turned into a GET elsewhere
    router, seen = _router()
    router(RequestFactory().post("/", HTTP_HOST="pay.hokwepay.me"))
    assert seen == ["/"]


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.1:8000", "localhost", "testserver", "[::1]:8000"])
@pytest.mark.django_db
def test_the_embedded_default_is_untouched(client, host):
    """On 127.0.0.1 the router leaves / to the URL map (the cms's hub page) and every path
    prefix works as before."""
    router, seen = _router()
    assert router(RequestFactory().get("/", HTTP_HOST=host)).status_code == 200 and seen == ["/"]
    assert client.get("/market/", HTTP_HOST=host).status_code == 200
    assert client.get("/manager/login/", HTTP_HOST=host).status_code == 200


@pytest.mark.parametrize(
    "host", [*SITE_HOSTS, "unknown.example.com", "www.hokwe.com", "evil.hokwepay.me.example"]
)
def test_the_sites_and_unknown_hosts_are_left_alone(host):
    router, seen = _router()
    response = router(RequestFactory().get("/?q=1", HTTP_HOST=host))
    assert response.status_code == 200 and seen == ["/"]


@override_settings(ALLOWED_HOSTS=["127.0.0.1"])
def test_a_routed_host_that_is_not_allowed_gets_the_usual_400(client):
    assert client.get("/", HTTP_HOST="recover.hokwepay.me").status_code == 400


@override_settings(
    ALLOWED_HOSTS=ALL_HOSTS,
    HOKWE_HOST_ALIASES={
        "Recover.Staging.Hokwepay.me": "recover.hokwepay.me",
        " pay.staging.hokwepay.me": "pay.hokwepay.me",
    },
)
def test_an_alias_gets_the_prefix_of_its_host(client):
    assert host_prefixes()["recover.staging.hokwepay.me"] == "/recover/"
    assert host_prefixes()["pay.staging.hokwepay.me"] == "/pay/"  # HOST_ALIASES="a=b, c=d"
    response = client.get("/", HTTP_HOST="recover.staging.hokwepay.me")
    assert response.status_code == 302 and response["Location"] == "/recover/"


def test_an_alias_of_an_undeclared_host_or_a_bad_prefix_stops_the_start_up():
    with override_settings(HOKWE_HOST_ALIASES={"x.example.com": "nowhere.example.com"}):
        with pytest.raises(
            ImproperlyConfigured, match="nowhere.example.com is not a host any module declares"
        ):
            HostRouterMiddleware(lambda request: HttpResponse())
    for prefix in ("/", "recover/", "/recover", "//evil.example.com/"):
        with override_settings(HOKWE_HOSTS={"recover.hokwepay.me": prefix}):
            with pytest.raises(ImproperlyConfigured, match="a path prefix"):
                host_prefixes()


def test_two_modules_claiming_one_host_stop_the_start_up(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "hostapps").mkdir()
    (tmp_path / "hostapps" / "__init__.py").touch()
    for name, prefix in (("one", "/recover/"), ("two", "/manager/")):
        (tmp_path / "hostapps" / name).mkdir()
        (tmp_path / "hostapps" / name / "__init__.py").touch()
        (tmp_path / "hostapps" / name / "conf.py").write_text(
            f'HOSTS = {{"recover.hokwepay.me": "{prefix}"}}\n'
        )
    namespace = {"HOKWE_HOSTS": {"manager.hokwe.com": "/manager/"}}
    conf.assemble(namespace, ["hostapps.one"])
    assert namespace["HOKWE_HOSTS"] == {"manager.hokwe.com": "/manager/", "recover.hokwepay.me": "/recover/"}
    with pytest.raises(
        conf.ConfigurationError, match=r"hostapps.two.conf: HOSTS\['recover.hokwepay.me'\] is already"
    ):
        conf.assemble(namespace, ["hostapps.two"])
