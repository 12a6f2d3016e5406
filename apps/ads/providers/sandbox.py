"""The sandbox network: the embedded default's simulation of Facebook and Instagram, used
when no Facebook app is configured (ADS_FACEBOOK_APP_ID empty, or ADS_SOCIAL_NETWORK=sandbox).

Nothing leaves the server. The « dialog » sends the manager straight back to the callback
with a code; the one page offered is labelled « Bac à sable » everywhere it shows; ids are
deterministic (a hash of what was asked), so the same request gives the same id; results
are derived from the ids. Prod settings refuse it (apps/ads/conf.py, production_problems).
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from urllib.parse import urlencode

from django.utils import timezone

from .base import AdAccount, BoostSpec, Page, Published, Results, UserToken

SANDBOX_LABEL = "Bac à sable"
PAGE_ID = "100000000000001"
IG_ID = "17800000000000001"
AD_ACCOUNT_ID = "200000000000001"


def _digits(*parts: str, length: int = 15) -> str:
    digest = hashlib.sha256("|".join(parts).encode()).hexdigest()
    return str(int(digest, 16))[:length]


def _hash(*parts: str) -> str:
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:24]


class SandboxNetwork:
    name = "sandbox"
    label = f"Facebook / Instagram ({SANDBOX_LABEL})"
    sandbox = True

    def dialog_url(self, *, redirect_uri: str, state: str, scopes: list[str]) -> str:
        sep = "&" if "?" in redirect_uri else "?"
        return f"{redirect_uri}{sep}{urlencode({'code': 'sbx-' + _hash('code', state), 'state': state})}"

    def exchange_code(self, *, code: str, redirect_uri: str) -> UserToken:
        return UserToken(
            token="sbx-user-" + _hash("user", code), expires_at=timezone.now() + timedelta(hours=2)
        )

    def long_lived(self, *, token: str) -> UserToken:
        return UserToken(
            token="sbx-long-" + _hash("long", token), expires_at=timezone.now() + timedelta(days=60)
        )

    def pages(self, *, user_token: str) -> list[Page]:
        return [
            Page(
                id=PAGE_ID,
                name=f"{SANDBOX_LABEL} — Page de démonstration",
                access_token="sbx-page-" + _hash("page", user_token),
                instagram_account_id=IG_ID,
                instagram_username="bac_a_sable_hokwe",
            )
        ]

    def ad_accounts(self, *, user_token: str) -> list[AdAccount]:
        return [AdAccount(id=AD_ACCOUNT_ID, name=f"{SANDBOX_LABEL} — Compte publicitaire", currency="XOF")]

    def publish_page_post(self, *, page_id: str, page_token: str, message: str, link: str) -> Published:
        return Published(id=f"{page_id}_{_digits('post', page_id, message, link)}")

    def publish_page_photo(self, *, page_id: str, page_token: str, image_url: str, caption: str) -> Published:
        return Published(id=f"{page_id}_{_digits('photo', page_id, image_url, caption)}")

    def publish_instagram(
        self, *, ig_user_id: str, page_token: str, image_url: str, caption: str
    ) -> Published:
        return Published(id=_digits("ig", ig_user_id, image_url, caption, length=17))

    def create_boost_campaign(self, *, user_token: str, spec: BoostSpec) -> str:
        return _digits("campaign", spec.story_id, spec.name)

    def create_boost_adset(self, *, user_token: str, spec: BoostSpec, campaign_id: str) -> str:
        return _digits("adset", campaign_id, str(spec.budget))

    def create_boost_creative(self, *, user_token: str, spec: BoostSpec) -> str:
        return _digits("creative", spec.story_id)

    def create_boost_ad(self, *, user_token: str, spec: BoostSpec, adset_id: str, creative_id: str) -> str:
        # the budget rides in the id, so the simulated spend stays within it
        return f"sbx-{spec.budget}-{_digits('ad', adset_id, creative_id)}"

    @staticmethod
    def _counts(key: str) -> tuple[int, int, int]:
        seed = int(_digits("results", key, length=9))
        impressions = 200 + seed % 1800
        return impressions, impressions * 2 // 3, impressions // 25

    def ad_results(self, *, user_token: str, ad_id: str, currency: str) -> Results:
        impressions, reach, clicks = self._counts(ad_id)
        parts = ad_id.split("-")
        budget = int(parts[1]) if len(parts) > 2 and parts[1].isdigit() else 0
        return Results(impressions=impressions, reach=reach, clicks=clicks, spend=budget * 3 // 5)

    def post_results(self, *, page_token: str, post_id: str) -> Results:
        impressions, reach, clicks = self._counts(post_id)
        return Results(impressions=impressions, reach=reach, clicks=clicks)

    def instagram_results(self, *, page_token: str, media_id: str) -> Results:
        impressions, reach, _clicks = self._counts(media_id)
        return Results(impressions=impressions, reach=reach)
