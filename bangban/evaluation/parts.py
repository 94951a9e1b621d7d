"""The ratings card on the commission's page (a hook of ``projects``, registered in
:mod:`bangban.evaluation.hooks`).

The enterprise rates the completed commission and each completed case there (once each) and
sees how a bad rating was answered; the agent and a centre admin covering the commission
record a rating given at the window or on the paper form; staff see the ratings, the
rectifications they opened and the follow-up visits.
"""

from __future__ import annotations

from django.utils import timezone

from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.projects import hooks as commission_hooks

from .models import ONCE_SOURCES, Level, SampleDraw
from .parties import is_enterprise_of, may_record_window_rating
from .ratings_selectors import commission_ratings_for, commission_visits_for
from .services import RATABLE_STATES


def ratings_card(commission, user) -> commission_hooks.PagePart | None:
    enterprise = is_enterprise_of(user, commission)
    recorder = may_record_window_rating(user, commission)
    ratings = commission_ratings_for(user, commission)
    rated_cases = {r.case_id for r in ratings if r.case_id is not None and r.source in ONCE_SOURCES}
    commission_rated = any(r.case_id is None and r.source in ONCE_SOURCES for r in ratings)
    may_rate = enterprise or recorder
    open_cases = []
    if may_rate:
        open_cases = [
            case
            for case in Case.objects.filter(commission=commission, state=case_lifecycle.COMPLETED)
            .select_related("item")
            .order_by("code")
            if case.pk not in rated_cases
        ]
    rate_commission = may_rate and commission.state in RATABLE_STATES and not commission_rated
    visits = [] if enterprise else commission_visits_for(user, commission)
    draw = None if enterprise else SampleDraw.objects.filter(commission=commission).first()
    if not (ratings or open_cases or rate_commission or visits or draw):
        return None
    return commission_hooks.PagePart(
        "evaluation/rating_commission_part.html",
        {
            "commission": commission,
            "ratings": ratings,
            "enterprise": enterprise,
            "recorder": recorder and not enterprise,
            "rate_commission": rate_commission,
            "open_cases": open_cases,
            "levels": Level.choices,
            "visits": visits,
            "draw": draw,
            "today": timezone.localdate(),
        },
    )
