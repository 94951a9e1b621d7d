"""Reads of evaluation, scoped to the requesting user (SPEC §8). Each part of the app keeps
its selectors in its own module and registers its scoping here, in its own block (several
people edit this file); ``register_scopes`` is called from ``EvaluationConfig.ready()``.
"""

from __future__ import annotations

from bangban.common import scoping

# --- complaints and accountability ---
from .complaints_selectors import register_complaint_scopes

# --- end complaints and accountability ---
# --- ratings, rectifications, follow-up visits ---
from .ratings_selectors import (  # noqa: F401  (the after-service reads, under their usual names)
    commission_ratings_for,
    commission_visits_for,
    commissions_rated,
    rating_filter,
    rating_get_for,
    rating_list_for,
    rating_scope,
    rectification_filter,
    rectification_get_for,
    rectification_list_for,
    rectification_scope,
    register_rating_scopes,
    visit_filter,
    visit_get_for,
    visit_list_for,
    visit_scope,
)

# --- end ratings, rectifications, follow-up visits ---


def register_scopes() -> None:
    """Tell ``bangban.common.scoping`` (read by the admin) the scoping of evaluation."""
    # --- complaints and accountability ---
    register_complaint_scopes(scoping)
    # --- end complaints and accountability ---
    # --- ratings, rectifications, follow-up visits ---
    register_rating_scopes(scoping)
    # --- end ratings, rectifications, follow-up visits ---
