"""A credit code whose region code (positions 3–8) is unknown to the region list held is a
warning the person entering it confirms, not a refusal (issue 11 item 6)."""

import pytest

from bangban.organization.models import Region
from bangban.projects.forms import EnterpriseForm
from bangban.projects.models import validate_credit_code_field
from bangban.projects.models.project import credit_code_warnings

pytestmark = pytest.mark.django_db

HUAWEI = "914403001922038216"  # 440300 深圳市: not in the Inner Mongolia region list


def form(code: str, **extra):
    region = Region.objects.get(code="150602")
    data = {
        "e-name": "测试企业有限公司",
        "e-credit_code": code,
        "e-legal_representative": "张三",
        "e-contact_name": "李四",
        "e-contact_mobile": "13904770000",
        "e-address": "东胜区",
        "e-region": region.pk,
        **{f"e-{k}": v for k, v in extra.items()},
    }
    return EnterpriseForm(data, prefix="e")


def test_the_warning_comes_from_the_region_list_held():
    assert credit_code_warnings(HUAWEI) == (
        "统一社会信用代码第 3–8 位行政区划码 440300 不在本系统掌握的区划代码表中，"
        "请核对（已撤并县区的旧代码仍会出现在较早赋予的信用代码中）。",
    )
    assert credit_code_warnings("91150000701463622D") == ()  # 150000 is held


def test_the_form_asks_for_a_confirmation_then_accepts():
    first = form(HUAWEI)
    assert not first.is_valid()
    [message] = first.errors["credit_code"]
    assert "440300 不在本系统掌握的区划代码表中" in message
    assert "核对无误请勾选“已核对统一社会信用代码无误”" in message
    assert 'type="checkbox"' in str(first["confirm_credit_code"])  # now shown
    confirmed = form(HUAWEI, confirm_credit_code="on")
    assert confirmed.is_valid(), confirmed.errors


def test_a_code_of_a_held_region_needs_no_confirmation():
    from tests.projects.factories import make_credit_code

    ok = form(make_credit_code(424242, "150602"))
    assert ok.is_valid(), ok.errors
    assert 'type="hidden"' in str(ok["confirm_credit_code"])


def test_the_model_field_refuses_each_failing_part_with_its_own_message():
    from django.core.exceptions import ValidationError

    broken = "914403001922038316"  # a typo in the 组织机构代码: both checks fail
    with pytest.raises(ValidationError) as caught:
        validate_credit_code_field(broken)
    assert len(caught.value.messages) == 2
    assert caught.value.messages[0].startswith("统一社会信用代码第 9–17 位组织机构代码校验位不正确")
    assert caught.value.messages[1].startswith("统一社会信用代码校验位错误")
