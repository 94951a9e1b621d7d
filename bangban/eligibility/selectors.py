"""Reads of the policy catalog and of the eligibility checks."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import EligibilityCheck, EligibilityMatch, PolicyEntry, PolicyVersion


def policy_version_current() -> PolicyVersion | None:
    """The version screenings read (None before any load or import)."""
    return PolicyVersion.objects.filter(is_current=True).first()


def policy_entries_active() -> QuerySet[PolicyEntry]:
    """The entries a screening uses: every active one of the current version, national first."""
    return PolicyEntry.objects.filter(version__is_current=True, is_active=True).order_by(
        "layer", "sort_order", "key"
    )


def eligibility_checks_for(project) -> QuerySet[EligibilityCheck]:
    """A project's checks, newest first, with their matches and the people involved."""
    return (
        EligibilityCheck.objects.filter(project=project)
        .select_related("checked_by", "decided_by__department", "confirmed_by")
        .prefetch_related(
            Prefetch("matches", queryset=EligibilityMatch.objects.order_by("position"))
        )
        .order_by("-checked_at", "-id")
    )


def eligibility_latest_for(project) -> EligibilityCheck | None:
    """The project's most recent check (the one that counts), or None if never screened."""
    return eligibility_checks_for(project).first()
