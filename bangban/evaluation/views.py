"""After-service pages: ratings (list, rate), rectifications (list, page, actions), follow-up
visits (list with the record form, page, actions, scheduling by hand). Thin: reads through
the selectors, writes through the action tables (``actions``) and the services.

A refusal shows the page again with the message and what was typed, answering 400 (bad
input, illegal step), 403 (not the party) or 409 (stale version)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bangban.accounts.models import Role
from bangban.cases import lifecycle as case_lifecycle
from bangban.cases.models import Case
from bangban.common.exceptions import ActionForbidden, StaleVersionError
from bangban.common.ids import as_id
from bangban.organization.models import Department
from bangban.projects.selectors import commission_list_for

from . import forms, services
from .actions import RECTIFICATIONS, VISITS
from .models import FollowUpVisit, Level, Rating, Rectification
from .parties import is_enterprise_of, may_record_window_rating, may_schedule_visit
from .ratings_selectors import (
    rating_filter,
    rating_list_for,
    rectification_filter,
    rectification_get_for,
    rectification_list_for,
    visit_commission_choices,
    visit_filter,
    visit_get_for,
    visit_list_for,
)

PAGE_SIZE = 50


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "message_dict"):
        return [text for texts in exc.message_dict.values() for text in texts]
    return list(exc.messages)


def _refusal(exc) -> tuple[list[str], int]:
    if isinstance(exc, StaleVersionError):
        return [exc.message], 409
    if isinstance(exc, ActionForbidden):
        return [exc.message], 403
    return _messages_of(exc), 400


def _query(params: dict[str, str]) -> str:
    return urlencode({k: v for k, v in params.items() if v})


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- ratings (好差评) --------------------------------------------------------------------------


def _rating_departments(user):
    """The departments the list's filter offers: those of the user's region subtree."""
    if not user.region_id:
        return Department.objects.none()
    return Department.objects.filter(region__path__startswith=user.region.path).order_by(
        "region__path", "name"
    )


@login_required
@require_GET
def rating_list(request):
    """好差评: the ratings the user sees, filtered by level, department and month (the
    supervisor's dashboard drills down into this page with the same parameters)."""
    names = ("level", "department", "month", "source", "commission")
    filters = {name: request.GET.get(name, "") for name in names}
    queryset = rating_filter(rating_list_for(request.user), filters)
    user = request.user
    return render(
        request,
        "evaluation/rating_list.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "levels": Level.choices,
            "sources": Rating.Source.choices,
            "departments": _rating_departments(user)
            if user.role in (Role.CENTRE_ADMIN, Role.SUPERVISOR, Role.LEADER)
            else [],
        },
    )


def _rating_commission(request, value):
    """The commission to rate, if the user sees it and may rate it (else 404)."""
    pk = as_id(value)
    commission = commission_list_for(request.user).filter(pk=pk).first() if pk else None
    user = request.user
    if commission is None or not (
        is_enterprise_of(user, commission) or may_record_window_rating(user, commission)
    ):
        raise Http404("未找到该代办委托，或您不能评价。")
    return commission


def _rating_context(request, commission, *, posted=None, errors=None) -> dict:
    user = request.user
    return {
        "commission": commission,
        "cases": Case.objects.filter(commission=commission, state=case_lifecycle.COMPLETED)
        .select_related("item")
        .order_by("code"),
        "levels": Level.choices,
        "recorder": not is_enterprise_of(user, commission),
        "posted": posted or {},
        "errors": errors or [],
    }


@login_required
@require_http_methods(["GET", "POST"])
def rating_create(request):
    """评价 (the enterprise, online) or 登记窗口/纸质评价 (the agent, a centre admin): of the
    completed commission or of one of its completed cases (``case``)."""
    if request.method == "GET":
        commission = _rating_commission(request, request.GET.get("commission"))
        posted = {"case": request.GET.get("case", "")}
        return render(
            request,
            "evaluation/rating_form.html",
            _rating_context(request, commission, posted=posted),
        )
    post = request.POST
    commission = _rating_commission(request, post.get("commission"))
    posted = {k: post.get(k, "") for k in ("case", "level", "comment", "rated_at")}
    try:
        data = forms.rating_data(post)
        rating = services.rating_create(actor=request.user, commission=commission, **data)
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context = _rating_context(request, commission, posted=posted, errors=errors)
        return render(request, "evaluation/rating_form.html", context, status=status)
    done = "感谢您的评价。" if rating.source == Rating.Source.PORTAL else "评价已登记。"
    if rating.is_bad:
        done += "该评价为差评，已转责任部门核实整改，并将回访评价人。"
    messages.success(request, done)
    return redirect(reverse("projects:commission_detail", args=[commission.pk]) + "#ratings")


# --- rectifications (差评整改) ---------------------------------------------------------------


@login_required
@require_GET
def rectification_list(request):
    """差评整改: the user's own first (overdue marked), then the others it sees."""
    names = ("state", "overdue", "mine", "department", "commission")
    filters = {name: request.GET.get(name, "") for name in names}
    queryset = rectification_filter(rectification_list_for(request.user), filters)
    return render(
        request,
        "evaluation/rectification_list.html",
        {
            "page": _page(request, queryset),
            "filters": filters,
            "query": _query(filters),
            "states": Rectification.State.choices,
        },
    )


def _rect_or_404(request, pk) -> Rectification:
    rect = rectification_get_for(request.user, pk)
    if rect is None:
        raise Http404("未找到该整改。")
    return rect


def _rect_context(request, rect, *, posted=None, errors=None) -> dict:
    offered = RECTIFICATIONS.offered(request.user, rect)
    posted = posted or {}
    return {
        "rect": rect,
        "rating": rect.rating,
        "commission": rect.commission,
        "actions": [(a, RECTIFICATIONS.label(a.slug)) for a in offered],
        "events": list(rect.events.all()),
        "visits": list(rect.rating.return_visits.all()),
        "posted": posted,
        "posted_action": posted.get("_action", ""),
        "action_errors": errors or [],
        "today": timezone.localdate(),
    }


@login_required
@require_GET
def rectification_detail(request, pk: int):
    rect = _rect_or_404(request, pk)
    return render(request, "evaluation/rectification_detail.html", _rect_context(request, rect))


@login_required
@require_POST
def rectification_action(request, pk: int, action: str):
    rect = _rect_or_404(request, pk)
    if action not in RECTIFICATIONS.by_slug:
        raise Http404("没有这种操作。")
    post = request.POST
    try:
        data = forms.rectification_action_data(post)
        done = RECTIFICATIONS.run(action, obj=rect, user=request.user, data=data)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        posted = {
            k: post.get(k, "") for k in ("verification", "measures", "answer", "note", "reason")
        }
        posted["_action"] = action
        context = _rect_context(request, _rect_or_404(request, pk), posted=posted, errors=errors)
        return render(request, "evaluation/rectification_detail.html", context, status=status)
    messages.success(request, done)
    return redirect("evaluation:rectification_detail", pk=rect.pk)


# --- follow-up visits (回访) -----------------------------------------------------------------


def _visit_rows(user, visits) -> list[tuple]:
    return [(v, [(a, VISITS.label(a.slug)) for a in VISITS.offered(user, v)]) for v in visits]


@login_required
@require_GET
def visit_list(request):
    """回访: the visits still to be made first (overdue marked), each with its record form
    for whoever may record it."""
    user = request.user
    filters = {
        name: request.GET.get(name, "") for name in ("state", "reason", "overdue", "commission")
    }
    queryset = visit_filter(visit_list_for(user), filters)
    page = _page(request, queryset)
    return render(
        request,
        "evaluation/visit_list.html",
        {
            "page": page,
            "rows": _visit_rows(user, page.object_list),
            "filters": filters,
            "query": _query(filters),
            "states": FollowUpVisit.State.choices,
            "reasons": FollowUpVisit.Reason.choices,
            "methods": FollowUpVisit.Method.choices,
            "levels": Level.choices,
            "may_schedule": user.role in (Role.CENTRE_ADMIN, Role.SUPERVISOR),
            "now": timezone.localtime(),
        },
    )


def _visit_or_404(request, pk) -> FollowUpVisit:
    visit = visit_get_for(request.user, pk)
    if visit is None:
        raise Http404("未找到该回访。")
    return visit


def _visit_context(request, visit, *, posted=None, errors=None) -> dict:
    posted = posted or {}
    return {
        "visit": visit,
        "commission": visit.commission,
        "actions": [(a, VISITS.label(a.slug)) for a in VISITS.offered(request.user, visit)],
        "recorded": list(visit.ratings.all()),
        "methods": FollowUpVisit.Method.choices,
        "levels": Level.choices,
        "posted": posted,
        "posted_action": posted.get("_action", ""),
        "action_errors": errors or [],
        "now": timezone.localtime(),
    }


@login_required
@require_GET
def visit_detail(request, pk: int):
    visit = _visit_or_404(request, pk)
    return render(request, "evaluation/visit_detail.html", _visit_context(request, visit))


@login_required
@require_POST
def visit_action(request, pk: int, action: str):
    visit = _visit_or_404(request, pk)
    if action not in VISITS.by_slug:
        raise Http404("没有这种操作。")
    post = request.POST
    try:
        data = forms.visit_action_data(post)
        done = VISITS.run(action, obj=visit, user=request.user, data=data)
    except (StaleVersionError, ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        names = ("method", "visited_at", "contact", "findings", "level", "comment", "reason")
        posted = {k: post.get(k, "") for k in names}
        posted["_action"] = action
        context = _visit_context(request, _visit_or_404(request, pk), posted=posted, errors=errors)
        return render(request, "evaluation/visit_detail.html", context, status=status)
    messages.success(request, done)
    if post.get("next") == "list":
        return redirect("evaluation:visit_list")
    return redirect("evaluation:visit_detail", pk=visit.pk)


@login_required
@require_http_methods(["GET", "POST"])
def visit_create(request):
    """安排回访 by hand (a centre admin or a supervisor), for a completed commission."""
    user = request.user
    if user.role not in (Role.CENTRE_ADMIN, Role.SUPERVISOR):
        raise Http404("只有中心管理员或督查人员可以安排回访。")
    choices = visit_commission_choices(user)
    context = {
        "commissions": choices[:200],
        "posted": {},
        "errors": [],
        "today": timezone.localdate(),
    }
    if request.method == "GET":
        context["posted"] = {"commission": request.GET.get("commission", "")}
        return render(request, "evaluation/visit_form.html", context)
    post = request.POST
    context["posted"] = {k: post.get(k, "") for k in ("commission", "due_date")}
    pk = as_id(post.get("commission"))
    commission = commission_list_for(user).filter(pk=pk).first() if pk else None
    try:
        if commission is None or not may_schedule_visit(user, commission):
            raise ValidationError({"commission": "请选择已办结的代办委托。"})
        data = forms.visit_schedule_data(post)
        visit = services.visit_schedule(actor=user, commission=commission, **data)
    except (ActionForbidden, ValidationError) as exc:
        errors, status = _refusal(exc)
        context["errors"] = errors
        return render(request, "evaluation/visit_form.html", context, status=status)
    messages.success(request, f"已安排回访，期限 {visit.due_date:%Y-%m-%d}。")
    return redirect("evaluation:visit_detail", pk=visit.pk)
