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


# --- department function (data, not a guess from the name) --------------------------------


def test_every_department_of_the_data_file_has_a_function():
    from bangban.common.datafiles import read_yaml

    rows = read_yaml("organization/departments.yaml")["departments"]
    assert all(row.get("function") in Department.Function.values for row in rows)
    assert not Department.objects.filter(function="").exists()
    functions = dict(Department.objects.values_list("key", "function"))
    assert functions["ordos-hitech-tcj"] == Department.Function.INVESTMENT_PROMOTION
    assert functions["horinger-jjzs"] == Department.Function.INVESTMENT_PROMOTION
    assert functions["ordos-hitech-zwfw"] == Department.Function.AGENCY
    assert functions["dongsheng-bbdb"] == Department.Function.AGENCY
    assert functions["dongsheng-fgw"] == Department.Function.DEVELOPMENT_REFORM
    assert functions["baotou-hitech-jjfz"] == Department.Function.DEVELOPMENT_REFORM
    assert functions["horinger-zhenglian"] == Department.Function.OTHER  # a company


def _department_row(**row):
    return {"key": "test-dept", "name": "测试招商服务中心", "region": "ordos-hitech"} | row


def test_the_loader_refuses_an_unknown_function_naming_the_row():
    from bangban.organization.services import organization_load

    rows = [_department_row(function="agency"), _department_row(key="t2", function="招商")]
    with pytest.raises(ValidationError) as info:
        organization_load(regions=[], departments=rows, rules=[])
    (message,) = info.value.messages
    assert message.startswith("部门第 2 条（测试招商服务中心）：职能「招商」不存在")
    assert "investment_promotion（投资促进（招商））" in message
    assert not Department.objects.filter(key__in=["test-dept", "t2"]).exists()


def test_the_loader_refuses_a_department_without_a_function():
    from bangban.organization.services import organization_load

    with pytest.raises(ValidationError, match="部门第 1 条（测试招商服务中心）：未填写职能"):
        organization_load(regions=[], departments=[_department_row()], rules=[])


def test_the_loader_fills_an_unset_function_and_keeps_an_edited_one():
    from bangban.organization.services import organization_load

    old = Department.objects.get(key="ordos-hitech-tcj")
    Department.objects.filter(pk=old.pk).update(function="")  # a row older than the field
    edited = Department.objects.get(key="ordos-hitech-zwfw")
    edited.function = Department.Function.OTHER  # an administrator's choice
    edited.save()
    rows = [
        _department_row(key="ordos-hitech-tcj", name=old.name, function="investment_promotion"),
        _department_row(key="ordos-hitech-zwfw", name=edited.name, function="agency"),
    ]
    report = organization_load(regions=[], departments=rows, rules=[])
    assert report.updated["departments"] == 1
    old.refresh_from_db()
    edited.refresh_from_db()
    assert old.function == Department.Function.INVESTMENT_PROMOTION
    assert edited.function == Department.Function.OTHER
    organization_load(regions=[], departments=rows, rules=[], overwrite=True)
    edited.refresh_from_db()
    assert edited.function == Department.Function.AGENCY


def test_the_function_is_editable_in_the_admin(admin_client):
    department = Department.objects.get(key="baotou-hitech-zwgk")
    url = f"/admin/organization/department/{department.pk}/change/"
    assert "职能" in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "key": department.key,
            "name": department.name,
            "region": department.region_id,
            "kind": department.kind,
            "function": Department.Function.AGENCY,
            "phone": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.function == Department.Function.AGENCY
    listing = admin_client.get("/admin/organization/department/?function__exact=agency")
    assert department.name in listing.content.decode()


def test_the_command_names_the_row_of_an_unknown_function(settings, tmp_path):
    import shutil
    from pathlib import Path

    from django.core.management import CommandError, call_command

    source = Path(settings.REFERENCE_DATA_DIR) / "organization"
    target = tmp_path / "organization"
    shutil.copytree(source, target)
    departments = target / "departments.yaml"
    text = departments.read_text(encoding="utf-8")
    departments.write_text(
        text.replace("function: investment_promotion}", "function: zhaoshang}", 1),
        encoding="utf-8",
    )
    settings.REFERENCE_DATA_DIR = tmp_path
    with pytest.raises(CommandError, match="（鄂尔多斯高新区投资促进局）：职能「zhaoshang」不存在"):
        call_command("load_organization")
