"""Who is calling (client IP, user agent), bound per request by IdentityMiddleware so that
services can rate-limit and audit without every signature carrying the request."""

from contextvars import ContextVar

_client_ip: ContextVar[str | None] = ContextVar("hokwe_client_ip", default=None)
_user_agent: ContextVar[str] = ContextVar("hokwe_user_agent", default="")
# The caller's device: the apps' X-Device-Id header (SIM-swap protection, issue 16).
_device_id: ContextVar[str] = ContextVar("hokwe_device_id", default="")

DEVICE_HEADER = "X-Device-Id"


def bind(*, ip: str | None, user_agent: str, device_id: str = ""):
    return _client_ip.set(ip), _user_agent.set(user_agent[:200]), _device_id.set((device_id or "")[:200])


def unbind(tokens) -> None:
    ip_token, ua_token, device_token = tokens
    _client_ip.reset(ip_token)
    _user_agent.reset(ua_token)
    _device_id.reset(device_token)


def device_id() -> str:
    return _device_id.get()


def client_ip() -> str | None:
    return _client_ip.get()


def user_agent() -> str:
    return _user_agent.get()


def ip_of(request) -> str | None:
    """REMOTE_ADDR: the gateway in front of Hokwe must set it to the client's address
    (nginx `real_ip`); X-Forwarded-For is never trusted here."""
    return request.META.get("REMOTE_ADDR") or None
