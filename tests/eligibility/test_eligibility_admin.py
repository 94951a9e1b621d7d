"""The admin: the catalog is listed, filtered, searched and edited; checks are read-only."""

import pytest

from bangban.eligibility.models import PolicyEntry
from bangban.eligibility.services import eligibility_screen

pytestmark = pytest.mark.django_db


def test_the_catalog_is_listed_filtered_and_searched(admin_client):
    url = "/admin/eligibility/policyentry/"
    page = admin_client.get(url, {"layer": "regional", "policy_class": "prohibit"})
    text = page.content.decode()
    assert page.status_code == 200 and "nm-prohibit-ferroalloy" in text
    assert "cn2024-restrict-overgrazing" not in text
    found = admin_client.get(url, {"q": "超载放牧"}).content.decode()
    assert "cn2024-restrict-overgrazing" in found and "nm-prohibit-ferroalloy" not in found


def test_an_entry_is_edited_in_the_admin_and_bad_codes_are_refused(admin_client):
    entry = PolicyEntry.objects.get(key="nm-prohibit-flat-glass")
    url = f"/admin/eligibility/policyentry/{entry.pk}/change/"
    data = {
        "layer": entry.layer,
        "policy_class": entry.policy_class,
        "section": entry.section,
        "text": entry.text,
        "is_active": "on",
        "industry_codes": "C3041, C3099X",
        "keywords": entry.keywords,
        "applies_to": entry.applies_to,
        "condition": entry.condition,
        "qualifier": entry.qualifier,
        "source": entry.source,
        "source_date": entry.source_date.isoformat(),
        "note": entry.note,
        "sort_order": entry.sort_order,
    }
    page = admin_client.post(url, data)
    assert page.status_code == 200 and "格式不对" in page.content.decode()
    response = admin_client.post(url, {**data, "industry_codes": "C3041，C3042"})
    assert response.status_code == 302
    assert PolicyEntry.objects.get(pk=entry.pk).industry_codes == "C3041 C3042"


def test_checks_are_read_only_history(admin_client, make_project, agent):
    project = make_project("年产2000台3W-0.9/7空气压缩机生产线", "C3442")
    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)
    listing = admin_client.get("/admin/eligibility/eligibilitycheck/")
    assert listing.status_code == 200 and project.name in listing.content.decode()
    detail = admin_client.get(f"/admin/eligibility/eligibilitycheck/{check.pk}/change/")
    text = detail.content.decode()
    assert detail.status_code == 200 and "3W-0.9/7（环状阀）空气压缩机" in text
    assert 'name="_save"' not in text
    assert admin_client.get("/admin/eligibility/eligibilitycheck/add/").status_code == 403
