from tests.concurrency import concurrent_db

__all__ = ["concurrent_db"]
