"""The scoping matrix (SPEC §8, issue #12): every role × every page, every API endpoint and
every admin change list × an object of another party.

Nothing here is listed by hand: the routes come from the URL conf (``get_resolver``), checked
against the OpenAPI schema, and the admin pages from ``admin.site._registry``. A new
parametrised route must name the object it shows in :data:`OBJECT_OF_ROUTE` (or be declared
public in :data:`PUBLIC_ROUTES`, or take only periods — :data:`PERIOD_SAMPLES` — and be walked
like a list), a new id parameter besides ``pk`` its object in :data:`OBJECT_OF_PARAM`, a new
slug its sample in :data:`SLUG_SAMPLES`, and a new scoped admin its object in
:data:`OBJECT_OF_MODEL` — otherwise the walk fails and says so.

Asserted, for the other party's objects (tests/security/world.py):
- a detail page or endpoint answers 404 to every role (anonymous: the login page, 401 or 403);
- an action (POST) on them is refused (403/404/405), and they are unchanged afterwards;
- none of their files is read (no file-access record appears for their commission);
- no page, list, export or endpoint body names them (the marker 「界外」, their commission's
  number — searched inside xlsx/docx too);
- the centre admin's admin change lists do not name them, their change pages are not shown
  (302 to the admin index, or 404), and the admins it may not open answer 403;
  the other roles are sent to the admin's login.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from bangban.accounts.models import Role
from bangban.cases import actions as case_actions
from bangban.common.admin import ScopedAdminMixin
from bangban.coordination import actions as coordination_actions
from bangban.documents.models import AttachmentAccess
from bangban.evaluation import actions as evaluation_actions
from bangban.evaluation import complaints_actions
from bangban.planning import actions as plan_actions
from bangban.projects import actions as commission_actions
from bangban.projects.exports import DOCUMENTS
from bangban.web.access import CENTRE_ADMIN_PERMISSIONS

from .world import World, build_world

ROLES = [*Role.values, "anonymous"]

#: The kind of object a parametrised route shows, by the route's text before its first
#: parameter (the API's routes start with "api/v1/").
OBJECT_OF_ROUTE = {
    "commissions/": "commission",
    "cases/": "case",
    "escalations/": "escalation",
    "meetings/": "meeting",
    "action-items/": "action_item",
    "task-orders/": "task_order",
    "complaints/": "complaint",
    "accountability/": "accountability_record",
    "accountability-records/": "accountability_record",
    "ratings/": "rating",
    "rectifications/": "rectification",
    "follow-up-visits/": "visit",
    "enterprises/": "enterprise",
    "projects/": "project",
    "consultations/": "consultation",
    "workbench/consultations/": "consultation",
}
#: The other party's object for each id parameter besides ``pk`` (a case's material).
OBJECT_OF_PARAM = {"material_pk": "case_material"}
#: Parametrised routes of platform-wide, public data (the published catalog).
PUBLIC_ROUTES = {"catalog/items/", "api/v1/catalog/items/"}
#: A real value for every slug parameter, by URL name (taken from the action tables).
SLUG_SAMPLES = {
    ("projects:commission_action", "action"): next(iter(commission_actions.BY_SLUG)),
    ("projects:commission_document", "kind"): next(iter(DOCUMENTS)),
    ("planning:commission_plan_action", "action"): next(iter(plan_actions.BY_SLUG)),
    ("cases:case_action", "action"): next(iter(case_actions.BY_SLUG)),
    ("cases:escalation_action", "action"): "answer",
    ("coordination:meeting_action", "action"): next(iter(coordination_actions.MEETINGS.by_slug)),
    ("coordination:action_item_action", "action"): next(
        iter(coordination_actions.ACTION_ITEMS.by_slug)
    ),
    ("coordination:task_order_action", "action"): next(
        iter(coordination_actions.TASK_ORDERS.by_slug)
    ),
    ("evaluation:complaint_action", "action"): next(iter(complaints_actions.COMPLAINTS.by_slug)),
    ("evaluation:rectification_action", "action"): next(
        iter(evaluation_actions.RECTIFICATIONS.by_slug)
    ),
    ("evaluation:visit_action", "action"): next(iter(evaluation_actions.VISITS.by_slug)),
    ("api-escalation-action", "action"): "answer",
    ("api-commission-document", "kind"): next(iter(DOCUMENTS)),
}
#: Lists not walked: logging out ends the session; the schema and its docs hold no data.
SKIPPED_LISTS = {"accounts/logout/", "api/schema/", "api/docs/"}
#: Parameters that name a period, not an object (the monthly report's month, the annual
#: evaluation's year): a route whose parameters are all periods is walked like a list, with
#: this sample — every role, and no body may name the other party.
PERIOD_SAMPLES = {"month": "2026-10", "year": "2026"}
#: The object of the other party for each model with a scoped admin.
OBJECT_OF_MODEL = {
    "accounts.user": "user",
    "accounts.loginlock": "login_lock",
    "organization.region": "region",
    "organization.department": "department",
    "organization.routingrule": "routing_rule",
    "organization.functionholder": "function_holder",
    "projects.enterprise": "enterprise",
    "projects.project": "project",
    "projects.commission": "commission",
    "projects.commissiontransition": "transition",
    "projects.consultation": "consultation",
    "cases.case": "case",
    "cases.escalation": "escalation",
    "coordination.meeting": "meeting",
    "coordination.actionitem": "action_item",
    "coordination.taskorder": "task_order",
    "notifications.notification": "notification",
    "eligibility.eligibilitycheck": "eligibility_check",
    "evaluation.complaint": "complaint",
    "evaluation.accountabilityrecord": "accountability_record",
    "evaluation.rating": "rating",
    "evaluation.rectification": "rectification",
    "evaluation.followupvisit": "visit",
    "evaluation.afterservicepolicy": "after_service_policy",
    "supervision.staffingminimum": "staffing_minimum",
}
#: In the admin, the organisation's own names mark the other region too.
ADMIN_MARKERS = {
    "accounts.user": ("bt-agent", "bt-admin", "bt-leader"),
    "accounts.loginlock": ("bt-agent",),
    "organization.region": ("稀土高新",),
    "organization.department": ("界外标记审批局",),
    "organization.routingrule": ("稀土高新区经济发展局",),
    "organization.functionholder": ("稀土高新区建设局",),
    "evaluation.afterservicepolicy": ("稀土高新",),
}


# --- the routes, walked from the URL conf ---------------------------------------------------


@dataclass(frozen=True)
class Route:
    text: str  # "commissions/<int:pk>/<slug:action>/"
    name: str  # "projects:commission_action"
    params: tuple[str, ...]

    @property
    def prefix(self) -> str:
        return self.text.split("<", 1)[0]

    @property
    def is_api(self) -> bool:
        return self.text.startswith("api/")

    @property
    def acts(self) -> bool:
        """Something follows the object's id: an action, a document, a plan."""
        return bool(re.search(r"<int:pk>/.+", self.text))


def _walk(patterns, prefix="", namespace="") -> Iterator[Route]:
    for entry in patterns:
        text = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            space = entry.namespace or ""
            yield from _walk(
                entry.url_patterns, text, f"{namespace}{space}:" if space else namespace
            )
        elif isinstance(entry, URLPattern):
            params = tuple(re.findall(r"<(?:\w+:)?(\w+)>", text))
            yield Route(text.lstrip("^"), f"{namespace}{entry.name or ''}", params)


def all_routes() -> list[Route]:
    return [r for r in _walk(get_resolver().url_patterns) if not r.text.startswith("admin/")]


def concrete(route: Route, world: World) -> str | None:
    """The route's URL naming the other party's object; None for public data. Fails when the
    route is new and nobody said what it shows."""
    if route.prefix.removeprefix("api/v1/") in PUBLIC_ROUTES or route.prefix in PUBLIC_ROUTES:
        return None
    kind = OBJECT_OF_ROUTE.get(route.prefix.removeprefix("api/v1/"))
    assert kind is not None, (
        f"新的带参数路由 {route.text!r}（{route.name}）没有对应的对象：请在 OBJECT_OF_ROUTE 中登记"
    )
    url = "/" + route.text
    for name in route.params:
        if name == "pk":
            value = world.other[kind].pk
        elif name in OBJECT_OF_PARAM:
            value = world.other[OBJECT_OF_PARAM[name]].pk
        else:
            value = SLUG_SAMPLES.get((route.name, name))
            assert value is not None, (
                f"路由 {route.text!r} 的参数 {name!r} 没有示例值（SLUG_SAMPLES）"
            )
        url = re.sub(rf"<(?:\w+:)?{name}>", str(value), url)
    return url


def of_periods(route: Route) -> bool:
    return bool(route.params) and set(route.params) <= set(PERIOD_SAMPLES)


def list_url(route: Route) -> str:
    url = "/" + route.text
    for name in route.params:
        url = re.sub(rf"<(?:\w+:)?{name}>", PERIOD_SAMPLES[name], url)
    return url


def lists() -> list[Route]:
    return [
        r for r in all_routes() if (not r.params or of_periods(r)) and r.text not in SKIPPED_LISTS
    ]


def details() -> list[Route]:
    return [r for r in all_routes() if r.params and not of_periods(r)]


# --- one world for the module -------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    with django_db_blocker.unblock(), transaction.atomic():
        built = build_world()
        yield built
        transaction.set_rollback(True)


def client_for(role: str, world: World) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def text_of(response) -> str:
    """The body as text; an xlsx or docx is unzipped and its XML parts joined."""
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(
                archive.read(name).decode("utf-8", "replace")
                for name in archive.namelist()
                if name.endswith(".xml")
            )
    return content.decode("utf-8", "replace")


def leaked(body: str, markers) -> list[str]:
    return [marker for marker in markers if marker in body]


def snapshot(world: World) -> dict:
    """What an action could change on the other party's objects."""
    other = world.other
    state = {}
    kinds = ("commission", "case", "meeting", "action_item", "task_order", "escalation")
    for kind in (*kinds, "complaint", "rectification", "visit"):
        obj = type(other[kind]).objects.get(pk=other[kind].pk)
        state[kind] = {
            f.attname: getattr(obj, f.attname)
            for f in obj._meta.concrete_fields
            if f.attname in ("state", "status", "version", "agent_id", "instruction")
        }
    state["file_reads"] = AttachmentAccess.objects.filter(
        commission_pk=other["commission"].pk
    ).count()
    return state


# --- the walk -------------------------------------------------------------------------------


pytestmark = pytest.mark.django_db


def test_every_route_of_the_openapi_schema_is_walked():
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)

    def shape(path: str) -> str:
        return re.sub(r"\{[^}]+\}|<(?:\w+:)?\w+>", "{}", path.strip("/"))

    walked = {shape(r.text) for r in all_routes()}
    missing = sorted(p for p in schema["paths"] if shape(p) not in walked)
    assert not missing, missing
    assert len(schema["paths"]) > 20  # the schema is not empty by accident


def test_every_parametrised_route_names_its_object(world):
    for route in details():
        concrete(route, world)  # fails with the route's name when it is new


@pytest.mark.parametrize("role", ROLES)
def test_details_and_actions_of_another_party_answer_404(role, world):
    client = client_for(role, world)
    before = snapshot(world)
    failures = []
    for route in details():
        url = concrete(route, world)
        if url is None:
            continue
        methods = ("get", "post") if route.acts or route.is_api else ("get",)
        for method in methods:
            response = getattr(client, method)(url)
            status = response.status_code
            if role == "anonymous":
                ok = status in (401, 403, 404, 405) or (
                    status == 302 and "/accounts/login/" in response["Location"]
                )
            elif method == "get":
                # 404; a page its role may never open answers 403 whatever the id
                ok = status == 404 or (status in (403, 405) and route.acts)
            else:
                ok = status in (403, 404, 405)
            if ok and status != 404:
                # a refusal must not depend on the object: an id that exists nowhere gets it too
                control = getattr(client, method)(re.sub(r"/\d+/", "/999999/", url, count=1))
                ok = status == control.status_code
            found = leaked(text_of(response), world.markers) if status < 300 else []
            if not ok or found:
                failures.append(f"{method.upper()} {url} → {status} {found}")
    assert not failures, f"{role}: " + "; ".join(failures)
    assert snapshot(world) == before


@pytest.mark.parametrize("role", ROLES)
def test_no_list_page_or_export_names_another_party(role, world):
    client = client_for(role, world)
    failures = []
    checked = 0
    for route in lists():
        url = list_url(route)
        response = client.get(url)
        assert response.status_code < 500, f"GET {url} → {response.status_code}"
        if response.status_code == 200:
            checked += 1
        found = leaked(text_of(response), world.markers)
        if found:
            failures.append(f"{url} {found}")
    assert not failures, f"{role}: " + "; ".join(failures)
    assert checked >= 3  # the role really read pages (not only redirects)


def test_the_lists_show_our_own_objects(world):
    """The same walk sees what is ours: the matrix is not green because everything is empty."""
    client = client_for(Role.AGENT, world)
    number = world.own["commission"].number
    assert number in client.get("/commissions/").content.decode()
    assert number in client.get("/api/v1/commissions/").content.decode()
    admin_client = client_for(Role.CENTRE_ADMIN, world)
    assert "本区测试项目" in admin_client.get("/admin/projects/project/").content.decode()


# --- the admin ----------------------------------------------------------------------------


def registry():
    return sorted(admin.site._registry.items(), key=lambda item: item[0]._meta.label_lower)


def admin_url(model, page: str, obj=None) -> str:
    meta = model._meta
    base = f"/admin/{meta.app_label}/{meta.model_name}/"
    return base if page == "changelist" else f"{base}{obj.pk}/change/"


def test_every_admin_is_scoped_or_closed_to_centre_admins():
    for model, model_admin in registry():
        label = model._meta.label_lower
        if isinstance(model_admin, ScopedAdminMixin):
            assert (
                model_admin.platform_wide
                or label in OBJECT_OF_MODEL
                or (label not in CENTRE_ADMIN_PERMISSIONS)
            ), f"{label}：受范围限制的管理页须在 OBJECT_OF_MODEL 中登记另一方的对象"
        else:
            assert label not in CENTRE_ADMIN_PERMISSIONS, (
                f"{label} 的管理页未按范围限制（ScopedAdminMixin），不能授予中心管理员"
            )


def test_centre_admin_admin_pages_hide_another_region(world):
    client = client_for(Role.CENTRE_ADMIN, world)
    assert client.get("/admin/").status_code == 200
    failures = []
    for model, model_admin in registry():
        label = model._meta.label_lower
        granted = label in CENTRE_ADMIN_PERMISSIONS
        listing = client.get(admin_url(model, "changelist"))
        if not granted:
            if listing.status_code != 403:
                failures.append(f"{label}: change list {listing.status_code}, expected 403")
            continue
        if listing.status_code != 200:
            failures.append(f"{label}: change list {listing.status_code}")
            continue
        if not isinstance(model_admin, ScopedAdminMixin):
            failures.append(f"{label}: granted but not scoped")
            continue
        if model_admin.platform_wide:
            continue
        kind = OBJECT_OF_MODEL.get(label)
        if kind is None:
            failures.append(f"{label}: no object of the other party (OBJECT_OF_MODEL)")
            continue
        markers = (*world.markers, *ADMIN_MARKERS.get(label, ()))
        found = leaked(text_of(listing), markers)
        if found:
            failures.append(f"{label}: change list names {found}")
        change = client.get(admin_url(model, "change", world.other[kind]))
        shown = change.status_code == 200 or leaked(text_of(change), markers)
        if change.status_code not in (302, 404) or shown:
            failures.append(f"{label}: change page of the other party → {change.status_code}")
    assert not failures, "; ".join(failures)


@pytest.mark.parametrize("role", [r for r in ROLES if r != Role.CENTRE_ADMIN])
def test_other_roles_are_sent_to_the_admin_login(role, world):
    client = client_for(role, world)
    for model, _ in registry():
        response = client.get(admin_url(model, "changelist"))
        assert response.status_code == 302, (model, response.status_code)
        assert response["Location"].startswith("/admin/login/"), response["Location"]
