"""The Django admin shows a commission's history in words (the lifecycle's Chinese labels,
never the slugs) and never lets anyone add, change or delete a history row."""

import re

import pytest

from bangban.projects import services
from bangban.projects.models import CommissionTransition

from .factories import AdminFactory, AgentFactory, CommissionFactory

pytestmark = pytest.mark.django_db

SLUGS = ("assign", "verify", "applied", "verified", "apply")


@pytest.fixture
def history():
    admin = AdminFactory(is_staff=True, is_superuser=True)
    agent = AgentFactory()
    # not industrial: verified at once (an industrial project waits for the agent's
    # confirmation while the policy catalog is incomplete, docs/eligibility.md)
    commission = CommissionFactory(project__industry_code="H6110")
    services.commission_assign(commission=commission, assigned_by=admin, agent=agent)
    services.commission_verify(commission=commission, actor=agent, is_new_capacity=True)
    return admin, commission


def cells(html: str) -> list[str]:
    """The text of every table cell (td) of the page."""
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)
    ]


def test_the_commission_page_shows_its_history_in_words(client, history):
    admin, commission = history
    client.force_login(admin)
    html = client.get(f"/admin/projects/commission/{commission.pk}/change/").content.decode()
    texts = cells(html)
    for label in ("指派代办员", "核实", "已申请", "已核实"):
        assert label in texts, label
    for slug in SLUGS:
        assert slug not in texts, slug
    assert 'name="transitions-0-action"' not in html  # nothing to edit
    listing = client.get("/admin/projects/commission/").content.decode()
    assert "已核实" in listing


def test_the_history_list_is_in_words_and_filters_by_label(client, history):
    admin, commission = history
    client.force_login(admin)
    html = client.get("/admin/projects/commissiontransition/").content.decode()
    texts = cells(html)
    assert {"指派代办员", "核实", "已申请", "已核实"} <= set(texts)
    for slug in SLUGS:
        assert slug not in texts, slug
    assert "指派代办员" in html and "不予办理" in html  # the filters use the labels too
    only = client.get("/admin/projects/commissiontransition/", {"action": "verify"})
    assert only.status_code == 200
    assert cells(only.content.decode()).count("核实") == 1
    assert "指派代办员" not in cells(only.content.decode())


def test_history_is_read_only_in_the_admin(client, history):
    admin, commission = history
    client.force_login(admin)
    row = CommissionTransition.objects.filter(commission=commission, action="verify").get()
    url = f"/admin/projects/commissiontransition/{row.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "核实" in html and "已核实" in html and 'name="action"' not in html
    assert client.post(url, {"action": "refuse", "to_state": "refused"}).status_code == 403
    assert client.get("/admin/projects/commissiontransition/add/").status_code == 403
    delete = f"/admin/projects/commissiontransition/{row.pk}/delete/"
    assert client.post(delete, {"post": "yes"}).status_code == 403
    row.refresh_from_db()
    assert (row.action, row.to_state) == ("verify", "verified")
    change = client.post(
        f"/admin/projects/commission/{commission.pk}/change/",
        {"transitions-TOTAL_FORMS": "0", "transitions-INITIAL_FORMS": "0"},
    )
    assert change.status_code == 403
    assert CommissionTransition.objects.filter(commission=commission).count() == 2
