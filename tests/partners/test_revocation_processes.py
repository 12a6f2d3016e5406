"""A key revoked by another process (a second Django process on the same database, as
another web worker or the admin would) is refused at once here: every request reads the
key's row, nothing is cached in a process."""

import os

import pytest
from django.db import connection

from apps.partners.models import ApiKey
from tests.helpers import django_shell

from .conftest import key_client

pytestmark = pytest.mark.django_db(transaction=True)


REVOKE = """
from apps.identity.models import User
from apps.partners import services
from apps.partners.models import ApiKey
key = ApiKey.objects.get(lookup={lookup!r})
services.key_revoke(actor=User.objects.get(pk={owner}), key=key)
print("revoked", key.prefix)
"""


def test_a_key_revoked_in_another_process_gets_401_here_at_once(owner, org, make_key):
    created = make_key(owner, org, ["payments:read"])
    partner = key_client(created.secret)
    assert partner.get("/api/v1/payments/intents").status_code == 200  # and its account is loaded
    database = connection.settings_dict
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "DJANGO_SETTINGS_MODULE": "hokwe.settings.test",
        "LOG_LEVEL": "ERROR",
    }
    script = REVOKE.format(lookup=created.key.lookup, owner=owner.pk)
    done = django_shell(script, env, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "revoked" in done.stdout
    assert ApiKey.objects.get(pk=created.key.pk).revoked_at is not None
    refused = partner.get("/api/v1/payments/intents")
    assert refused.status_code == 401 and refused.json()["code"] == "api_key_invalid"
