"""Invest's Celery tasks (beat entries in conf.py)."""

from celery import shared_task


@shared_task(name="invest.market_data")
def market_data():
    from .services.market import load_quotes

    return load_quotes()


@shared_task(name="invest.poll_orders")
def poll_orders():
    from .services.orders import poll_open

    return poll_open()


@shared_task(name="invest.valuation")
def valuation():
    from .services.market import value_positions

    return value_positions()


@shared_task(name="invest.settle")
def settle():
    from .services.distributions import pay_due
    from .services.orders import settle_due

    return {"orders": settle_due(), "distributions": pay_due()}


@shared_task(name="invest.plans")
def plans():
    from .services.plans import run_plans

    return run_plans()


@shared_task(name="invest.reconcile")
def reconcile():
    from .services.reconcile import reconcile_all

    return [r.differences for r in reconcile_all()]
