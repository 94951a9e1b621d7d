"""The function-holder table (办理部门按区划): loaded from data/organization/function_holders.yaml
idempotently, every row with its source; a bad row refuses the file naming the row; checked on
every save like an admin edit; scoped in the admin."""

import pytest
import yaml
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command

from bangban.common.admin import ScopedAdminMixin
from bangban.organization.models import Department, FunctionHolder, Region
from bangban.organization.selectors import function_holder_scope, function_holdings_for
from bangban.organization.services import function_holders_load
from tests.projects.factories import AdminFactory

pytestmark = pytest.mark.django_db


def _data(name):
    with (settings.REFERENCE_DATA_DIR / name).open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _rows():
    return _data("organization/function_holders.yaml")["holders"]


def test_every_row_is_loaded_with_its_source_and_names_catalog_items():
    rows = _rows()
    assert FunctionHolder.objects.count() == len(rows)
    catalog = {item["code"] for item in _data("catalog/items.yaml")["items"]}
    for row in rows:
        held = FunctionHolder.objects.get(key=row["key"])
        assert held.source.strip(), row["key"]
        assert set(held.codes) <= catalog, row["key"]
    ds31 = {
        row.region.key: row.department.key
        for row in FunctionHolder.objects.select_related("region", "department")
        if "DS31" in row.codes
    }
    assert ds31 == {
        "150602": "dongsheng-cgj",
        "150271": "baotou-hitech-jsj",
        "horinger-new-area": "horinger-ghjs",
    }


def test_loading_again_changes_nothing_and_keeps_an_admin_edit():
    row = FunctionHolder.objects.get(key="horinger-water")
    row.department = Department.objects.get(key="horinger-ghjs")
    row.save()
    assert function_holders_load(rows=_rows()) == (0, 0)
    call_command("load_organization", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert FunctionHolder.objects.get(key="horinger-water").department.key == "horinger-ghjs"
    assert FunctionHolder.objects.count() == len(_rows())
    created, updated = function_holders_load(rows=_rows(), overwrite=True)
    assert created == 0 and updated == len(_rows())
    assert FunctionHolder.objects.get(key="horinger-water").department.key == "horinger-ggsy"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"domain": "water"}, "请填写领域或事项编码，二者只填其一。"),
        ({"items": ""}, "请填写领域或事项编码，二者只填其一。"),
        ({"items": "DS31 ds7"}, "事项编码「DS7」格式不对"),
        ({"source": " "}, "请写明出处。"),
        ({"department": "baotou-hitech-jsj"}, "办理部门应属于该区划、其上级或其下级区划。"),
        ({"department": "nowhere"}, "部门「nowhere」不存在。"),
        ({"region": "nowhere"}, "区划「nowhere」不存在。"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_it(change, message):
    FunctionHolder.objects.all().delete()
    good = {
        "key": "test-row",
        "region": "horinger-new-area",
        "items": "DS31",
        "department": "horinger-ghjs",
        "source": "测试",
    }
    rows = [dict(_rows()[0]), {**good, **change}]
    with pytest.raises(ValidationError) as caught:
        function_holders_load(rows=rows)
    text = "；".join(caught.value.messages)
    assert "办理部门第 2 条（test-row）" in text and message in text
    assert not FunctionHolder.objects.exists()  # nothing written, not even the good row


def test_two_rows_of_a_region_may_not_name_the_same_item():
    twice = FunctionHolder(
        key="horinger-again",
        region=Region.objects.get(key="horinger-new-area"),
        items="DS59, DS05",
        department=Department.objects.get(key="horinger-ggsy"),
        source="测试",
    )
    with pytest.raises(ValidationError) as caught:
        twice.full_clean()
    assert "已有其他记录写明事项「DS59」" in caught.value.message_dict["items"][0]
    assert twice.items == "DS59 DS05"  # normalised


def test_a_department_above_the_region_may_hold_its_function():
    row = FunctionHolder(
        key="horinger-forestry",
        region=Region.objects.get(key="horinger-new-area"),
        domain="forestry",
        department=Department.objects.get(key="hohhot-lcj"),  # 呼和浩特, above the 新区
        source="测试",
    )
    row.full_clean()


def test_the_planner_reads_the_rows_of_the_region_and_above():
    shengle = Region.objects.get(key="horinger-shengle")
    regions = {row.region_path for row in function_holdings_for(shengle.path)}
    new_area, hohhot = (Region.objects.get(key=k).path for k in ("horinger-new-area", "150100"))
    assert regions == {new_area, hohhot}


def test_the_admin_is_scoped_to_the_user_region():
    assert isinstance(admin.site._registry[FunctionHolder], ScopedAdminMixin)
    baotou_admin = AdminFactory(region=Region.objects.get(key="150271"))
    visible = FunctionHolder.objects.filter(function_holder_scope(baotou_admin))
    assert {row.key for row in visible} == {"baotou-hitech-municipal-greening"}
