"""What a social network looks like to ads: connecting a page (OAuth), publishing a post on a
Facebook page or an Instagram account, boosting a page post with an ad on the advertiser's
own ad account, and reading the results back.

Networks raise:
- `TokenExpired` when the access token is expired or revoked (Graph code 190): the
  connection must be made again;
- `NetworkRejected` when the network refused the request for good (a 4xx: a missing
  permission, an invalid parameter): do not retry as is;
- `NetworkUnavailable` for a timeout, a connection error, a 5xx or a rate limit: retry later.
  After a POST that creates something, the outcome is unknown: the caller does not send it
  again by itself (it recorded its intent first, docs/ads.md "Social").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol


class SocialNetworkError(Exception):
    """Base of the networks' errors: `reason` is for logs and staff (never a token)."""

    def __init__(self, reason: str, *, code: int | None = None, subcode: int | None = None, status: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.code = code
        self.subcode = subcode
        self.status = status


class NetworkUnavailable(SocialNetworkError):
    """Timeout, connection error, 5xx, rate limit: try again later. `maybe_sent` is False
    when the request surely did not act (no connection, a rate limit refusal): it may be sent
    again; True when it may have reached the network (a read timeout, a 5xx)."""

    def __init__(self, reason: str, *, maybe_sent: bool = True, **kwargs):
        super().__init__(reason, **kwargs)
        self.maybe_sent = maybe_sent


class NetworkRejected(SocialNetworkError):
    """The network refused the request (a 4xx): a missing permission, an invalid value."""


class TokenExpired(NetworkRejected):
    """The access token is expired or revoked (Graph error 190): connect the page again."""


@dataclass(frozen=True)
class UserToken:
    token: str = field(repr=False)
    expires_at: datetime | None = None


@dataclass(frozen=True)
class Page:
    id: str
    name: str
    access_token: str = field(repr=False)
    instagram_account_id: str = ""
    instagram_username: str = ""


@dataclass(frozen=True)
class AdAccount:
    id: str  # without the "act_" prefix
    name: str
    currency: str


@dataclass(frozen=True)
class Published:
    id: str  # a page post's "<page-id>_<post-id>", a photo's post id, an Instagram media id
    permalink: str = ""


@dataclass(frozen=True)
class Results:
    impressions: int = 0
    reach: int = 0
    clicks: int = 0
    spend: int = 0  # minor units of the ad account's currency (0 for an unpaid post)


@dataclass(frozen=True)
class BoostSpec:
    """A boost as the network is asked for it: `budget` in minor units of `currency`, spent
    between `starts_at` and `ends_at` on the advertiser's own ad account."""

    ad_account_id: str
    page_id: str
    story_id: str  # the page post's "<page-id>_<post-id>"
    name: str
    budget: int
    currency: str
    starts_at: datetime
    ends_at: datetime
    countries: tuple[str, ...]
    link: str = ""


class SocialNetwork(Protocol):
    name: str
    label: str
    sandbox: bool

    def dialog_url(self, *, redirect_uri: str, state: str, scopes: list[str]) -> str:
        """The page the manager opens to grant Hokwe access to their pages."""

    def exchange_code(self, *, code: str, redirect_uri: str) -> UserToken:
        """The dialog's `code` for a (short-lived) user access token."""

    def long_lived(self, *, token: str) -> UserToken:
        """A long-lived user token (about 60 days) for a short-lived one."""

    def pages(self, *, user_token: str) -> list[Page]:
        """The pages the user manages, each with its page access token and Instagram account."""

    def ad_accounts(self, *, user_token: str) -> list[AdAccount]:
        """The ad accounts the user may advertise with (for boosts)."""

    def publish_page_post(self, *, page_id: str, page_token: str, message: str, link: str) -> Published:
        """A post on the page's feed: a message and a link (the link's preview shows)."""

    def publish_page_photo(self, *, page_id: str, page_token: str, image_url: str, caption: str) -> Published:
        """A photo post on the page (the image fetched by the network from `image_url`)."""

    def publish_instagram(
        self, *, ig_user_id: str, page_token: str, image_url: str, caption: str
    ) -> Published:
        """An image post on the Instagram professional account (container, then publish)."""

    def create_boost_campaign(self, *, user_token: str, spec: BoostSpec) -> str:
        """The campaign (special ad category HOUSING) on the advertiser's ad account: its id."""

    def create_boost_adset(self, *, user_token: str, spec: BoostSpec, campaign_id: str) -> str:
        """The ad set (lifetime budget, dates, the countries): its id."""

    def create_boost_creative(self, *, user_token: str, spec: BoostSpec) -> str:
        """The creative pointing at the page post (object_story_id): its id."""

    def create_boost_ad(self, *, user_token: str, spec: BoostSpec, adset_id: str, creative_id: str) -> str:
        """The ad (active): its id."""

    def ad_results(self, *, user_token: str, ad_id: str, currency: str) -> Results:
        """A boost's lifetime results (impressions, reach, clicks, spend)."""

    def post_results(self, *, page_token: str, post_id: str) -> Results:
        """A page post's lifetime results (impressions, reach, clicks)."""

    def instagram_results(self, *, page_token: str, media_id: str) -> Results:
        """An Instagram media's lifetime results (views, reach)."""
