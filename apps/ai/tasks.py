"""HokweAI's Celery tasks (beat entries in conf.py)."""

from celery import shared_task


@shared_task(name="ai.retention")
def retention():
    from .services.actions import expire_actions
    from .services.conversations import purge_old

    return {"threads": purge_old(), "actions": expire_actions()}
