"""Bearer tokens of either issuer → the user: the built-in HS256 issuer (embedded
default) or the OpenID Provider (RS256, when OIDC_ISSUER is set). Shared by the DRF
authentication class and the GraphQL middleware."""

from .errors import TokenInvalid
from .models import User
from .services.oidc import oidc_enabled, oidc_token_claims, user_for_oidc_claims
from .services.tokens import is_builtin_token, user_for_access_token


def user_for_bearer(token: str) -> tuple[User, dict]:
    if len(token) > 8192:
        raise TokenInvalid()
    if is_builtin_token(token):
        return user_for_access_token(token)
    if oidc_enabled():
        claims = oidc_token_claims(token)
        return user_for_oidc_claims(claims), claims
    raise TokenInvalid()
