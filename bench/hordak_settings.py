"""Minimal Django project for the django-hordak peer run (bench/hordak_bench.py)."""

import os

SECRET_KEY = "bench"
DEBUG = False
USE_TZ = True
INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "mptt",
    "djmoney",
    "hordak",
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CURRENCIES = ["EUR"]
HORDAK_CURRENCIES = ["EUR"]
DEFAULT_CURRENCY = "EUR"
HORDAK_INTERNAL_CURRENCY = "EUR"  # hordak's converter knows no XOF; amounts are the same integers
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["BENCH_DB_NAME"],
        "USER": os.environ["BENCH_DB_USER"],
        "HOST": os.environ["BENCH_DB_HOST"],
        "PORT": os.environ["BENCH_DB_PORT"],
        "CONN_MAX_AGE": None,
    }
}
