"""The seeded policy catalog and the idempotent `load_policy` command."""

import io
from collections import Counter

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from bangban.common.datafiles import read_yaml
from bangban.eligibility.models import (
    EligibilityCheck,
    EligibilityMatch,
    PolicyEntry,
    PolicyVersion,
)
from bangban.rules import screening

pytestmark = pytest.mark.django_db


def load(*args):
    out = io.StringIO()
    call_command("load_policy", *args, stdout=out)
    return out.getvalue()


def rows():
    return list(PolicyEntry.objects.order_by("key").values())


def test_the_seed_holds_both_layers_and_every_class():
    counts = Counter(PolicyEntry.objects.values_list("layer", "policy_class"))
    assert counts[("national", "restrict")] >= 10
    assert counts[("national", "eliminate")] >= 8
    assert counts[("national", "encourage")] >= 12
    assert counts[("regional", "prohibit")] >= 8
    assert PolicyEntry.objects.count() == len(read_yaml("industry/policy.yaml")["entries"])


@pytest.mark.parametrize(
    "key",
    [
        "cn2024-restrict-energy-benchmark",
        "cn2024-restrict-overgrazing",
        "cn2024-eliminate-coal-boiler-10t",
        "nm-prohibit-ferroalloy",
        "nm-prohibit-calcium-carbide",
        "nm-prohibit-carbide-pvc",
        "nm-prohibit-cement-clinker",
        "nm-prohibit-graphite-electrode",
        "nm-prohibit-flat-glass",
        "nm-prohibit-heavy-chemicals-outside-park",
    ],
)
def test_the_rules_the_spec_names_are_seeded_with_source_and_date(key):
    entry = PolicyEntry.objects.get(key=key)
    assert entry.source and entry.source_date and entry.is_active


def test_unverified_entries_say_so():
    for entry in PolicyEntry.objects.exclude(note__contains="已核对"):
        assert "待核实" in entry.note, entry.key


def test_the_model_choices_are_the_core_vocabulary():
    assert dict(PolicyEntry.Layer.choices).keys() == screening.LAYERS.keys()
    assert dict(PolicyEntry.PolicyClass.choices).keys() == screening.CLASSES.keys()
    assert dict(PolicyEntry.AppliesTo.choices).keys() == screening.APPLIES_TO.keys()
    assert dict(PolicyEntry.Condition.choices).keys() == screening.CONDITIONS.keys()
    assert set(screening.OUTCOMES) <= set(EligibilityCheck.Outcome.values)
    assert set(screening.EFFECTS) == set(EligibilityMatch.Effect.values)


def test_loading_again_changes_nothing():
    before = rows()
    assert "新增 0 条，更新 0 条" in load()
    assert rows() == before


def test_admin_edits_are_kept_unless_overwrite():
    entry = PolicyEntry.objects.get(key="nm-prohibit-ferroalloy")
    original = entry.text
    entry.text = "管理员修改后的文字"
    entry.save()

    assert "保留管理员修改 1 条（nm-prohibit-ferroalloy）" in load()
    assert PolicyEntry.objects.get(key="nm-prohibit-ferroalloy").text == "管理员修改后的文字"

    assert "更新 1 条" in load("--overwrite")
    assert PolicyEntry.objects.get(key="nm-prohibit-ferroalloy").text == original


def test_missing_entries_are_created_and_extra_ones_left_alone():
    PolicyEntry.objects.filter(key="cn2024-encourage-ccus").delete()
    extra = PolicyEntry.objects.create(
        version=PolicyVersion.objects.get(is_current=True),
        key="local-extra",
        layer="regional",
        policy_class="prohibit",
        text="本地补充条目",
        keywords="测试",
        source="管理员录入",
    )
    assert "新增 1 条" in load()
    assert PolicyEntry.objects.filter(key="cn2024-encourage-ccus").exists()
    assert PolicyEntry.objects.filter(pk=extra.pk).exists()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        ({"industry_codes": ["C2618"]}, "不是 GB/T 4754-2017 的小类"),
        ({"industry_codes": ["B26"]}, "不存在或不属于门类 B"),
        ({"industry_codes": ["C26x"]}, "格式不对"),
        ({"industry_codes": [], "keywords": []}, "至少填写一项"),
        ({"class": "forbid"}, "类别"),
        ({"layer": "national", "class": "prohibit"}, "只用于地方规定"),
        ({"colour": "red"}, "未知字段：colour"),
        ({"source_date": "2021-13-01"}, "YYYY-MM-DD"),
    ],
)
def test_a_bad_file_is_refused_with_the_entry_named_and_nothing_changes(tmp_path, entry, message):
    good = {
        "key": "new-one",
        "layer": "regional",
        "class": "prohibit",
        "text": "条目",
        "keywords": ["测试"],
        "source": "测试",
    }
    path = tmp_path / "policy.yaml"
    path.write_text(
        yaml.safe_dump(
            {"entries": [good, {**good, "key": "bad-one", **entry}]}, allow_unicode=True
        ),
        encoding="utf-8",
    )
    before = rows()
    with pytest.raises(CommandError) as info:
        load(str(path))
    assert "第 2 条（bad-one）" in str(info.value) and message in str(info.value)
    assert rows() == before


def test_a_duplicate_key_is_refused(tmp_path):
    entry = {
        "key": "twice",
        "layer": "regional",
        "class": "prohibit",
        "text": "条目",
        "keywords": ["测试"],
        "source": "测试",
    }
    path = tmp_path / "policy.yaml"
    path.write_text(yaml.safe_dump({"entries": [entry, entry]}), encoding="utf-8")
    with pytest.raises(CommandError, match="标识重复"):
        load(str(path))
    assert not PolicyEntry.objects.filter(key="twice").exists()
