import pytest
from django.core.exceptions import ValidationError

from bangban.organization.models import Department, Domain, Region, RoutingRule
from bangban.organization.selectors import lead_department_for, region_subtree

pytestmark = pytest.mark.django_db


def test_region_tree_has_the_codes_of_gbt2260_and_custom_zones():
    assert Region.objects.get(code="150000").name == "内蒙古自治区"
    assert Region.objects.filter(level=Region.Level.CITY, parent__code="150000").count() == 12
    assert Region.objects.get(code="150602").parent.code == "150600"
    baotou_zone = Region.objects.get(name="包头稀土高新技术产业开发区")
    assert (baotou_zone.code, baotou_zone.code_kind) == ("150271", Region.CodeKind.NBS)
    ordos_zone = Region.objects.get(name="鄂尔多斯高新技术产业开发区")
    assert ordos_zone.code_kind == Region.CodeKind.CUSTOM and ordos_zone.parent.code == "150600"
    horinger = Region.objects.get(name="内蒙古和林格尔新区")
    assert horinger.parent.code == "150123"
    assert Region.objects.filter(level=Region.Level.VILLAGE).exists()


def test_subtree_contains_descendants_only():
    ordos = Region.objects.get(code="150600")
    keys = set(region_subtree(ordos).values_list("code", flat=True))
    assert {"150600", "150602", "150603"} <= keys
    assert "150200" not in keys


def test_ordos_routing_follows_the_seed():
    zone = Region.objects.get(name="鄂尔多斯高新技术产业开发区")
    expected = {
        Domain.DEVELOPMENT: "发展规划局",
        Domain.ENERGY: "发展规划局",
        Domain.ECOLOGY: "建设管理局",
        Domain.MUNICIPAL: "建设管理局",
        Domain.COMMERCE: "投资促进局",
        Domain.SCIENCE: "科技人才局",
        Domain.FORESTRY: "自然资源分局",
        Domain.MARKET: "政务服务局",
    }
    for domain, suffix in expected.items():
        assert lead_department_for(region=zone, domain=domain).name.endswith(suffix), domain


def test_routing_falls_back_to_the_nearest_ancestor_and_then_to_none():
    zone = Region.objects.get(name="鄂尔多斯高新技术产业开发区")
    town = Region.objects.filter(parent=zone).first()
    assert town is not None
    assert lead_department_for(region=town, domain=Domain.SCIENCE) == lead_department_for(
        region=zone, domain=Domain.SCIENCE
    )
    assert (
        lead_department_for(region=zone, domain=Domain.TRANSPORT) is None
    )  # → the project's industry office


def test_routing_rule_department_must_lie_in_the_region():
    zone = Region.objects.get(name="鄂尔多斯高新技术产业开发区")
    foreign = Department.objects.get(key="dongsheng-bbdb")
    rule = RoutingRule(region=zone, domain=Domain.CULTURE, department=foreign)
    with pytest.raises(ValidationError) as exc:
        rule.full_clean()
    assert "department" in exc.value.message_dict


def test_bad_region_code_is_refused():
    with pytest.raises(ValidationError) as exc:
        Region(
            key="x",
            code="15A",
            code_kind=Region.CodeKind.GBT2260,
            name="坏",
            level=Region.Level.COUNTY,
        ).full_clean()
    assert "code" in exc.value.message_dict
