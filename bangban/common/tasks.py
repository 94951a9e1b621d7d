from celery import shared_task


@shared_task(name="bangban.ping")
def ping() -> str:
    """A trivial task: proves a worker and the broker are wired (used by the health tests)."""
    return "pong"
