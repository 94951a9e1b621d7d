"""Evaluation in the Django admin, scoped like the pages (``ScopedAdminMixin``). Each part of
the app keeps its admin classes in its own module, imported here in its own block (several
people edit this file)."""

# --- complaints and accountability ---
from . import complaints_admin  # noqa: F401

# --- end complaints and accountability ---
# --- ratings, rectifications, follow-up visits ---
from .ratings_admin import RatingAdmin  # noqa: F401  (registers the after-service admins)

# --- end ratings, rectifications, follow-up visits ---
