import io
import re

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from bangban.catalog.models import CatalogVersion, Item, ItemKind, LimitUnit, Stage
from bangban.catalog.selectors import item_list_published
from bangban.catalog.services import catalog_load, specs_from_mapping
from bangban.catalog.specs import CatalogValidationError, max_promised_days
from bangban.common.datafiles import read_yaml

from .catalog_seed_names import COUNTY_UTILITIES, DONGSHENG_59, ORDOS_KEY_ITEMS

pytestmark = pytest.mark.django_db


def normalise(name: str) -> str:
    name = re.sub(r"\s+", "", name)
    name = name.replace("《", "").replace("》", "")
    for separator in ("\\", "、"):
        name = name.replace(separator, "/")
    for prefix in ("办理", "对"):
        if name.startswith(prefix):
            name = name[len(prefix) :]
    return name


def names_of(item: Item) -> set[str]:
    return {normalise(item.name), *(normalise(a) for a in item.aliases)}


# Items the law sets no limit for (domain-data §1A): 备案 (DS01, DS06, DS51), the 出让
# procedure (DS09), the 交工验收 filing (DS38), the water-use quotas (DS47, DS48), and the
# renewal applied for 45 日 before expiry (DS41). "No limit" is stored as none, never 0.
NO_LEGAL_LIMIT = {"DS01", "DS06", "DS09", "DS38", "DS41", "DS47", "DS48", "DS51"}


def test_published_catalog_holds_at_least_sixty_complete_items():
    items = list(item_list_published())
    assert len(items) >= 60
    for item in items:
        assert item.stage in Stage.values, item.code
        assert item.department_id, item.code
        assert item.promised_limit_days is not None, item.code
        assert (item.legal_limit_days is None) == (item.code in NO_LEGAL_LIMIT), item.code
        assert list(item.materials.all()), f"{item.code} has no material"


def test_every_dongsheng_item_is_in_the_catalog_under_its_seed_name():
    items = {item.code: item for item in item_list_published()}
    for number, seed_name in enumerate(DONGSHENG_59, start=1):
        code = f"DS{number:02d}"
        assert code in items, f"{code} {seed_name} missing"
        assert normalise(seed_name) in names_of(items[code]), (
            f"{code}: {seed_name!r} not among {names_of(items[code])}"
        )


def test_ordos_key_items_and_county_utilities_are_in_the_catalog():
    items = list(item_list_published())
    all_names = " ".join(n for item in items for n in names_of(item))
    codes = {item.code for item in items}
    assert "MA01" in codes  # 公司注册 / 营业执照
    ordos_terms = {
        "公司注册": ["公司注册"],
        "项目审批核准备案": ["核准", "备案", "可行性研究报告审批"],
        "用地预审和规划条件意见书": ["用地预审", "规划条件意见书"],
        "节能审查": ["节能"],
        "林地征占初审": ["林地"],
        "征收、征用或者使用草原": ["草原"],
        "建设项目环境影响评价审批": ["环境影响报告书", "环境影响报告表"],
        "建筑工程规划许可证": ["建设工程规划许可证"],
        "取水许可": ["取水许可"],
        "建筑工程施工许可证核发": ["施工许可证核发"],
    }
    assert set(ordos_terms) == set(ORDOS_KEY_ITEMS)
    for seed_item, words in ordos_terms.items():
        for word in words:
            assert word in all_names, f"{seed_item}: no item mentions {word}"
    utility_words = {
        "营业执照": ["企业设立登记", "营业执照"],
        "不动产登记": ["不动产"],
        "供电": ["供电", "电力", "用电"],
        "供水": ["供水", "用水"],
        "供气": ["燃气", "供气", "用气"],
        "排水": ["排水"],
        "通讯": ["通信", "通讯"],
        "网络": ["网络", "宽带"],
    }
    assert set(utility_words) == set(COUNTY_UTILITIES)
    utility_names = " ".join(
        n
        for item in items
        if item.stage in (Stage.UTILITIES, Stage.MARKET_ACCESS)
        for n in names_of(item)
    )
    for term, words in utility_words.items():
        assert any(w in utility_names for w in words), f"utility service {term} missing"


def test_promises_respect_the_legal_limits_and_immediate_items_are_same_day():
    for item in item_list_published():
        ceiling = max_promised_days(item.legal_limit_days, item.legal_limit_unit)
        if ceiling is not None:
            assert item.promised_limit_days <= ceiling, item.code
        if item.kind == ItemKind.IMMEDIATE:
            assert item.promised_limit_days == 0, item.code


def test_eia_limits_are_counted_in_calendar_days():
    items = {i.code: i for i in item_list_published().filter(code__in=["DS21", "DS22"])}
    assert (items["DS21"].legal_limit_days, items["DS21"].legal_limit_unit) == (
        60,
        LimitUnit.CALENDAR,
    )
    assert (items["DS22"].legal_limit_days, items["DS22"].legal_limit_unit) == (
        30,
        LimitUnit.CALENDAR,
    )


def test_load_catalog_is_idempotent():
    before = CatalogVersion.objects.count()
    call_command("load_catalog", stdout=io.StringIO())
    call_command("load_catalog", stdout=io.StringIO())
    assert CatalogVersion.objects.count() == before
    assert CatalogVersion.objects.filter(status=CatalogVersion.Status.PUBLISHED).count() == 1


def _specs():
    return specs_from_mapping(read_yaml("catalog/items.yaml"))


def test_a_changed_data_file_publishes_a_new_version_and_keeps_the_old_one():
    old = CatalogVersion.objects.get(status=CatalogVersion.Status.PUBLISHED)
    old_item = old.items.get(code="DS28")
    specs, where = _specs()
    next(s for s in specs if s.code == "DS28").preparation_days += 1
    new, created = catalog_load(specs=specs, where=where, source="test")
    assert created and new.number > old.number
    old.refresh_from_db()
    assert old.status == CatalogVersion.Status.SUPERSEDED
    old_item.refresh_from_db()  # work planned with the old version keeps its item
    assert old_item.version_id == old.pk
    assert new.items.get(code="DS28").preparation_days == old_item.preparation_days + 1


def test_a_prerequisite_cycle_is_refused_naming_the_items():
    specs, where = _specs()
    by_code = {s.code: s for s in specs}
    by_code["DS03"].prerequisites.append("DS05")  # DS03 → DS04 → DS05 → DS03
    before = CatalogVersion.objects.count()
    with pytest.raises(CatalogValidationError) as exc:
        catalog_load(specs=specs, where=where, source="test")
    message = str(exc.value)
    assert "循环" in message and "DS03" in message and "DS05" in message
    assert CatalogVersion.objects.count() == before


def test_a_bad_condition_is_refused_with_its_position():
    specs, where = _specs()
    spec = next(s for s in specs if s.code == "DS02")
    spec.condition = "energy_tce >= "
    with pytest.raises(CatalogValidationError) as exc:
        catalog_load(specs=specs, where=where, source="test")
    assert (
        "DS02" in str(exc.value)
        and "适用条件" in str(exc.value)
        and "第 15 个字符" in str(exc.value)
    )


def test_a_promise_longer_than_the_legal_limit_is_refused():
    specs, where = _specs()
    spec = next(s for s in specs if s.code == "DS22")  # 30 日 → at most 21 working days
    spec.promised_limit_days = 22
    with pytest.raises(CatalogValidationError) as exc:
        catalog_load(specs=specs, where=where, source="test")
    assert "承诺时限" in str(exc.value)


def test_the_command_reports_errors_in_chinese_and_changes_nothing(tmp_path):
    bad = tmp_path / "items.yaml"
    bad.write_text("items:\n  - code: X1\n    name: 测试\n    stage: nowhere\n", encoding="utf-8")
    before = list(CatalogVersion.objects.values_list("number", "status"))
    with pytest.raises(CommandError) as exc:
        call_command("load_catalog", str(bad))
    assert "阶段" in str(exc.value) and "未做任何修改" in str(exc.value)
    assert list(CatalogVersion.objects.values_list("number", "status")) == before
