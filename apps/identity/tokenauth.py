"""Bearer tokens of either issuer → the user: the built-in HS256 issuer (embedded
default) or the OpenID Provider (RS256, when OIDC_ISSUER is set). Shared by the DRF
authentication class and the GraphQL middleware."""

from .errors import TokenInvalid
from .models import User
from .services.oidc import oidc_enabled, oidc_token_claims, user_for_oidc_claims
from .services.tokens import access_token_claims, is_builtin_token, user_for_claims


def user_for_bearer(token: str) -> tuple[User, dict]:
    """A built-in token is verified with one parse (the common case); only a token that does
    not verify as ours is looked at again, to tell a bad built-in token from an OIDC one."""
    if len(token) > 8192:
        raise TokenInvalid()
    try:
        claims = access_token_claims(token)
    except TokenInvalid:
        claims = None
    if claims is not None:
        return user_for_claims(claims), claims
    if is_builtin_token(token):
        raise TokenInvalid()
    if oidc_enabled():
        claims = oidc_token_claims(token)
        return user_for_oidc_claims(claims), claims
    raise TokenInvalid()
