"""Fixtures of the evaluation tests. Each part keeps its own in its own module and lists them
here, in its own block (several people edit this file)."""

# --- ratings, rectifications, follow-up visits ---
from .ratings_fixtures import after  # noqa: F401  (a completed commission, tests/evaluation)

# --- end ratings, rectifications, follow-up visits ---
