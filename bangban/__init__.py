"""bangban 帮办 — the Django project.

Importing the package imports nothing else: the pure cores under ``bangban.rules`` must load
without Django. The Celery app (``bangban.celery``) is loaded by ``CommonConfig.ready()`` when
Django starts, and by a worker started with ``celery -A bangban.celery worker``.
"""
