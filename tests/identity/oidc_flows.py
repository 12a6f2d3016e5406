"""Drive the real OpenID Provider like a browser / a mobile app would (httpx, cookies)."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx

API_RESOURCE = "https://api.hokwe.test"
OTHER_RESOURCE = "https://other.example.test"
MOBILE_REDIRECT = "com.hokwe.app:/callback"


def pkce_pair() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(auth_url: str, *, account: str, redirect_prefix: str) -> dict:
    """Follow the provider's login and consent pages; returns the redirect's query."""
    with httpx.Client(timeout=10, follow_redirects=False) as browser:
        url = auth_url
        for _ in range(12):
            response = browser.get(url)
            if response.is_redirect:
                location = urljoin(url, response.headers["location"])
                if location.startswith(redirect_prefix):
                    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
                url = location
                continue
            prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
            action = re.search(r'action="([^"]+)"', response.text)
            assert prompt and action, response.text[:500]
            form = {"prompt": prompt.group(1)}
            if form["prompt"] == "login":
                form.update(login=account, password="any")
            posted = browser.post(urljoin(url, action.group(1)), data=form)
            assert posted.is_redirect, posted.text[:500]
            url = urljoin(url, posted.headers["location"])
        raise AssertionError("the authorization flow did not end")


def mobile_access_token(issuer: str, *, account: str = "user-1", resource: str = API_RESOURCE) -> str:
    """The mobile app's flow: public client, authorization code + PKCE, JWT access token."""
    verifier, challenge = pkce_pair()
    query = {
        "client_id": "hokwe-mobile",
        "redirect_uri": MOBILE_REDIRECT,
        "response_type": "code",
        "scope": "openid profile phone api",
        "state": secrets.token_urlsafe(8),
        "nonce": secrets.token_urlsafe(8),
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "resource": resource,
    }
    result = authorize(f"{issuer}/auth?{urlencode(query)}", account=account, redirect_prefix=MOBILE_REDIRECT)
    token = httpx.post(
        f"{issuer}/token",
        data={
            "grant_type": "authorization_code",
            "code": result["code"],
            "redirect_uri": MOBILE_REDIRECT,
            "client_id": "hokwe-mobile",
            "code_verifier": verifier,
            "resource": resource,
        },
        timeout=10,
    )
    assert token.status_code == 200, token.text
    return token.json()["access_token"]
