"""Enterprise and Project: validation at the model layer, attributes, admin layout."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, CharField, DecimalField, ProtectedError
from django.urls import reverse

from bangban.accounts.models import Role, User
from bangban.organization.models import Department, Region
from bangban.projects.admin import ProjectAdmin
from bangban.projects.models import Enterprise, Project
from bangban.rules.attributes import ATTRIBUTES, neutral_attributes, validate_attributes

from .factories import EnterpriseFactory, ProjectFactory, RegionFactory, make_credit_code


def errors_of(obj) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    return info.value.message_dict


# --- attributes (no database) ---------------------------------------------------------------


def test_every_attribute_is_a_project_field_of_the_right_kind():
    kinds = {"bool": BooleanField, "number": DecimalField, "enum": CharField, "string": CharField}
    for name, spec in ATTRIBUTES.items():
        field = Project._meta.get_field(name)
        assert isinstance(field, kinds[spec.type]), name
        assert field.verbose_name == spec.label
        if spec.type == "enum":
            assert dict(field.choices) == spec.choices
            assert field.default == spec.neutral
        if spec.type == "number":
            assert (field.max_digits, field.decimal_places) == (14, 2)


def test_attributes_of_a_new_project_are_the_neutral_values():
    values = Project().attributes()
    assert list(values) == list(ATTRIBUTES)
    assert values == neutral_attributes()


def test_attributes_are_plain_data_the_schema_accepts():
    project = Project(
        land_source="transfer",
        land_area_ha=Decimal("12.50"),
        energy_tce=Decimal("1000"),
        is_key_project=True,
        industry_code="C2614",
    )
    values = project.attributes()
    assert values.keys() == ATTRIBUTES.keys()
    assert values["land_area_ha"] == 12.5 and type(values["land_area_ha"]) is float
    assert values["energy_tce"] == 1000.0 and type(values["energy_tce"]) is float
    assert values["is_key_project"] is True
    assert values["land_source"] == "transfer"
    complete, errors = validate_attributes(values)
    assert errors == {}
    assert complete == values


def test_admin_fieldsets_show_every_attribute_once():
    shown = []
    for _title, options in ProjectAdmin.fieldsets:
        for entry in options["fields"]:
            shown.extend(entry if isinstance(entry, tuple) else [entry])
    assert len(shown) == len(set(shown))
    assert set(ATTRIBUTES) <= set(shown)
    assert [title for title, _ in ProjectAdmin.fieldsets][:5] == [
        "基本信息",
        "用地",
        "能耗与环评",
        "建设内容",
        "特殊情形",
    ]


# --- Enterprise -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_enterprise_factory_is_valid_and_saved():
    enterprise = EnterpriseFactory()
    enterprise.full_clean()
    assert Enterprise.objects.filter(pk=enterprise.pk).exists()


@pytest.mark.django_db
def test_enterprise_refuses_a_bad_credit_code():
    enterprise = EnterpriseFactory.build(region=RegionFactory(), credit_code="914403001922038217")
    assert errors_of(enterprise) == {"credit_code": ["统一社会信用代码校验位错误（应为 6）。"]}


@pytest.mark.django_db
def test_enterprise_normalises_credit_code_and_mobile():
    enterprise = EnterpriseFactory.build(
        region=RegionFactory(),
        credit_code=" 91110108551385082q",
        contact_mobile="+86 139-1234-5678",
    )
    enterprise.full_clean()
    assert enterprise.credit_code == "91110108551385082Q"
    assert enterprise.contact_mobile == "13912345678"


@pytest.mark.django_db
def test_enterprise_refuses_a_duplicate_credit_code():
    EnterpriseFactory(credit_code="914403001922038216")
    duplicate = EnterpriseFactory.build(region=RegionFactory(), credit_code="914403001922038216")
    assert list(errors_of(duplicate)) == ["credit_code"]


@pytest.mark.django_db
def test_enterprise_refuses_a_bad_mobile():
    enterprise = EnterpriseFactory.build(region=RegionFactory(), contact_mobile="1291234567")
    message = errors_of(enterprise)["contact_mobile"]
    assert message == ["手机号码应为 11 位大陆手机号码（1 开头，第二位为 3–9）。"]


@pytest.mark.django_db
def test_factory_credit_codes_are_distinct_and_valid():
    codes = {EnterpriseFactory().credit_code for _ in range(5)}
    assert len(codes) == 5
    assert make_credit_code(7).startswith("91150602")


# --- Project ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_project_factory_is_valid():
    project = ProjectFactory()
    project.full_clean()
    assert project.version == 1
    assert project.attributes()["industry_code"] == "C2614"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "label"),
    [
        ("land_area_ha", "用地面积（公顷）"),
        ("total_investment_wan", "总投资（万元）"),
        ("earthwork_m3", "土石方量（立方米）"),
    ],
)
def test_project_refuses_a_negative_number(field, label):
    project = ProjectFactory.build(enterprise=EnterpriseFactory(), **{field: Decimal("-1")})
    assert errors_of(project) == {field: [f"{label}不能为负数。"]}


@pytest.mark.django_db
def test_project_refuses_an_unknown_region_segment_in_the_project_code():
    project = ProjectFactory.build(
        enterprise=EnterpriseFactory(), project_code="2024-110105-44-03-012345"
    )
    assert errors_of(project) == {
        "project_code": ["投资项目统一代码中的地区代码 110105 不是已知的区划代码。"]
    }


@pytest.mark.django_db
def test_project_code_with_a_known_region_and_nbs_codes():
    RegionFactory(
        key="test-xitu", code="150271000000", code_kind=Region.CodeKind.NBS, name="稀土高新区"
    )
    enterprise = EnterpriseFactory()
    ProjectFactory.build(
        enterprise=enterprise, project_code=" 2020-150602-44-03-012345 "
    ).full_clean()
    ProjectFactory.build(
        enterprise=enterprise, project_code="2106-150271-04-01-000001"
    ).full_clean()
    bad = ProjectFactory.build(enterprise=enterprise, project_code="2020-150602-44-03")
    assert list(errors_of(bad)) == ["project_code"]


@pytest.mark.django_db
def test_project_code_is_unique_when_given():
    first = ProjectFactory(project_code="2020-150602-44-03-012345")
    second = ProjectFactory.build(
        enterprise=first.enterprise, project_code="2020-150602-44-03-012345"
    )
    assert "该投资项目统一代码已被其他项目使用。" in str(errors_of(second))
    ProjectFactory(enterprise=first.enterprise, project_code="").full_clean()
    ProjectFactory(enterprise=first.enterprise, project_code="").full_clean()


@pytest.mark.django_db
def test_project_refuses_an_industry_letter_that_disagrees_with_its_division():
    project = ProjectFactory.build(enterprise=EnterpriseFactory(), industry_code="B2614")
    assert errors_of(project) == {
        "industry_code": [
            "国民经济行业代码 B2614 的门类字母与大类不符：大类 26 属于门类 C（应为 C2614）。"
        ]
    }


@pytest.mark.django_db
def test_project_industry_code_normalised_and_partial_sections_accepted():
    enterprise = EnterpriseFactory()
    project = ProjectFactory.build(enterprise=enterprise, industry_code="2614")
    project.full_clean()
    assert project.industry_code == "C2614"
    ProjectFactory.build(enterprise=enterprise, industry_code="f5199").full_clean()
    ProjectFactory.build(enterprise=enterprise, industry_code="").full_clean()
    assert list(errors_of(ProjectFactory.build(enterprise=enterprise, industry_code="C2618"))) == [
        "industry_code"
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "fragment"),
    [
        (
            {"land_source": "transfer", "land_area_ha": 0},
            "land_area_ha",
            "用地方式为“出让”时，用地面积（公顷）应大于 0",
        ),
        ({"land_source": "allocation"}, "land_area_ha", "用地方式为“划拨”时"),
        ({"forest_land_temporary": True}, "forest_land_temporary", "临时占用林地"),
        ({"basic_grassland": True, "grassland_ha": 0}, "basic_grassland", "涉及基本草原"),
    ],
)
def test_project_consistency_checks(values, field, fragment):
    project = ProjectFactory.build(enterprise=EnterpriseFactory(), **values)
    errors = errors_of(project)
    assert list(errors) == [field]
    assert fragment in errors[field][0]


@pytest.mark.django_db
def test_project_consistent_land_forest_grassland_pass():
    ProjectFactory.build(
        enterprise=EnterpriseFactory(),
        land_source="transfer",
        land_area_ha=Decimal("3.2"),
        forest_land_ha=Decimal("0.5"),
        forest_land_temporary=True,
        grassland_ha=Decimal("1"),
        basic_grassland=True,
    ).full_clean()


@pytest.mark.django_db
def test_project_sponsor_must_be_a_sponsor_user():
    region = RegionFactory()
    bureau = Department.objects.create(key="test-invest-bureau", name="测试招商局", region=region)
    other = Department.objects.create(key="test-other-bureau", name="测试产业办", region=region)
    enterprise_user = User.objects.create(username="test-ent", role=Role.ENTERPRISE, region=region)
    sponsor = User.objects.create(
        username="test-sponsor", role=Role.SPONSOR, region=region, department=bureau
    )
    enterprise = EnterpriseFactory(region=region)

    wrong_role = ProjectFactory.build(enterprise=enterprise, sponsor=enterprise_user)
    assert list(errors_of(wrong_role)) == ["sponsor"]
    mismatch = ProjectFactory.build(
        enterprise=enterprise, sponsor=sponsor, sponsor_department=other
    )
    assert list(errors_of(mismatch)) == ["sponsor_department"]
    ProjectFactory.build(
        enterprise=enterprise, sponsor=sponsor, sponsor_department=bureau
    ).full_clean()


@pytest.mark.django_db
def test_an_enterprise_with_projects_cannot_be_deleted():
    project = ProjectFactory()
    with pytest.raises(ProtectedError):
        project.enterprise.delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "admin:projects_project_changelist",
        "admin:projects_project_add",
        "admin:projects_enterprise_changelist",
        "admin:projects_enterprise_add",
    ],
)
def test_admin_pages_render(client, url_name):
    ProjectFactory()
    admin_user = User.objects.create_superuser("test-admin", password="x-Very-long-pw-1")
    client.force_login(admin_user)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.django_db
def test_admin_change_page_renders_the_fieldsets(client):
    project = ProjectFactory()
    admin_user = User.objects.create_superuser("test-admin", password="x-Very-long-pw-1")
    client.force_login(admin_user)
    url = reverse("admin:projects_project_change", args=[project.pk])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    for title in ("基本信息", "用地", "能耗与环评", "建设内容", "特殊情形"):
        assert title in html
