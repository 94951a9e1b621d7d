"""The policy list's Excel round trip: export → edit → import as a new version. One bad row
refuses the whole file naming row and column; text cells stay text, never formulas."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import Workbook, load_workbook

from bangban.eligibility.models import PolicyEntry, PolicyVersion
from bangban.eligibility.services import policy_version_export, policy_version_import
from bangban.eligibility.workbook import COLUMNS

pytestmark = pytest.mark.django_db

SOURCE = "《产业结构调整指导目录（2024年本）》"
#: every column of the workbook is a field of the entry that the round trip keeps
CONTENT = [name for _, name, _ in COLUMNS]
HEADERS = [header for header, _, _ in COLUMNS]


def content_of(version):
    return [
        tuple(row)
        for row in version.entries.order_by("layer", "sort_order", "key").values_list(*CONTENT)
    ]


def current():
    return PolicyVersion.objects.get(is_current=True)


def state():
    return (
        list(PolicyVersion.objects.order_by("pk").values("pk", "is_current")),
        PolicyEntry.objects.count(),
    )


def workbook(rows, headers=HEADERS) -> bytes:
    """A workbook typed by hand: 「条目」 with `headers` and `rows` (dicts header → value)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "条目"
    sheet.append(headers)
    for number, row in enumerate(rows, start=2):
        for column, header in enumerate(headers, start=1):
            cell = sheet.cell(row=number, column=column, value=row.get(header))
            if isinstance(cell.value, str):
                cell.data_type = "s"  # typed text, as Excel stores it (not a formula)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def row(**values):
    base = {
        "类别": "限制类",
        "条目内容": "测试条目",
        "关键词": "测试",
        "来源": f"{SOURCE}第二类 限制类",
    }
    return {**base, **values}


def import_(content, **kwargs):
    return policy_version_import(
        content=content,
        file_name="目录.xlsx",
        source=kwargs.pop("source", SOURCE),
        source_date=kwargs.pop("source_date", dt.date(2024, 2, 1)),
        **kwargs,
    )


def test_export_then_import_gives_the_same_list_as_a_new_current_version():
    seed = current()
    before = content_of(seed)
    assert len(before) == seed.entries.count() > 50

    version = import_(policy_version_export(version=seed))

    assert version.pk != seed.pk and version.is_current and version.origin == "excel"
    seed.refresh_from_db()
    assert not seed.is_current and content_of(seed) == before  # the old version is kept
    assert content_of(version) == before
    assert version.official_totals == {"encourage": 352, "restrict": 231, "eliminate": 422}
    # and once more: the exported file of the new version reads back the same again
    again = import_(policy_version_export(version=version))
    assert content_of(again) == before


def test_the_screening_reads_the_current_version(make_project, agent):
    from bangban.eligibility.services import eligibility_screen

    project = make_project("年产2000台3W-0.9/7空气压缩机生产线", "C3442")
    version = import_(workbook([row(类别="鼓励类", 条目内容="某鼓励类条目", 关键词="空气压缩机")]))

    check = eligibility_screen(project=project, is_new_capacity=True, user=agent)

    assert check.policy_version == version and check.outcome == "priority"
    assert [m.text for m in check.matches.all()] == ["某鼓励类条目"]


@pytest.mark.parametrize(
    ("bad", "where", "message"),
    [
        ({"类别": "鼓舞类"}, "第 3 行「类别」", "「鼓舞类」不是有效取值"),
        ({"条目内容": None}, "第 3 行「条目内容」", "不能为空"),
        ({"条目内容": "   "}, "第 3 行「条目内容」", "不能为空"),
        ({"行业代码": "C2618"}, "第 3 行「行业代码」", "不是 GB/T 4754-2017 的小类"),
        ({"来源日期": "2024-13-01"}, "第 3 行「来源日期」", "不是日期"),
        ({"适用地区": "159999"}, "第 3 行「适用地区」", "不存在"),
        ({"层级": "国家产业政策", "类别": "禁止类"}, "第 3 行「类别」", "只用于地方规定"),
        ({"启用": "也许"}, "第 3 行「启用」", "应填写“是”或“否”"),
        ({"标识": "good"}, "第 3 行「标识」", "与第 2 行重复"),
    ],
)
def test_one_bad_row_refuses_the_whole_file_naming_row_and_column(bad, where, message):
    before = state()
    content = workbook([row(标识="good"), row(**bad), row(条目内容="第三条")])

    with pytest.raises(ValidationError) as info:
        import_(content)

    text = "\n".join(info.value.messages)
    assert f"工作表「条目」{where}：" in text and message in text, text
    assert len(info.value.messages) == 1
    assert state() == before


def test_a_missing_column_and_an_unreadable_file_are_refused():
    before = state()
    headers = [h for h in HEADERS if h != "条目内容"]
    with pytest.raises(ValidationError, match="第 1 行：缺少列：条目内容"):
        import_(workbook([row()], headers=headers))
    with pytest.raises(ValidationError, match="无法读取 Excel 文件"):
        import_(b"not a workbook")
    assert state() == before


def test_more_entries_than_the_official_total_are_refused():
    rows = [row(条目内容=f"条目{n}") for n in range(3)]
    with pytest.raises(ValidationError, match="限制类 3 条，多于.*官方总数 2 条"):
        import_(workbook(rows), totals={"encourage": 1, "restrict": 2, "eliminate": 1})
    # rows that share a catalog number are one official entry
    rows = [row(条目内容=f"条目{n}", 目录条目编号="十一、3") for n in range(3)]
    version = import_(workbook(rows), totals={"encourage": 1, "restrict": 2, "eliminate": 1})
    assert version.coverage().held == {"restrict": 1}


def test_an_unknown_catalog_needs_its_totals():
    before = state()
    with pytest.raises(ValidationError, match="不是已登记的目录"):
        import_(workbook([row()]), source="《某地方目录》")
    assert state() == before
    version = import_(
        workbook([row()]),
        source="《某地方目录》",
        totals={"encourage": 0, "restrict": 1, "eliminate": 0},
    )
    assert version.is_complete


FORMULA_LIKE = ['=HYPERLINK("http://x","点此")', "+1+2", "-3", "@SUM(A1)"]


def test_formula_looking_texts_are_exported_as_text_and_read_back_unchanged():
    rows = [row(条目内容=text, 标识=f"f{n}", 备注=text) for n, text in enumerate(FORMULA_LIKE)]
    version = import_(workbook(rows))

    exported = policy_version_export(version=version)

    sheet = load_workbook(io.BytesIO(exported))["条目"]  # not data_only: formulas would show
    text_column = HEADERS.index("条目内容") + 1
    cells = [sheet.cell(row=r, column=text_column) for r in range(2, 2 + len(FORMULA_LIKE))]
    assert [c.value for c in cells] == FORMULA_LIKE
    assert [c.data_type for c in cells] == ["s"] * len(FORMULA_LIKE)
    again = import_(exported)
    assert sorted(again.entries.values_list("text", flat=True)) == sorted(FORMULA_LIKE)


def test_the_command_imports_and_reports_completeness(tmp_path):
    path = tmp_path / "目录.xlsx"
    path.write_bytes(
        workbook(
            [row(), row(类别="淘汰类", 条目内容="淘汰条目"), row(层级="地方规定", 类别="禁止类")]
        )
    )
    out = io.StringIO()
    call_command(
        "import_industry_policy", str(path), "--source", SOURCE, "--date", "2024-02-01", stdout=out
    )
    assert "鼓励类 0/352 条、限制类 1/231 条、淘汰类 1/422 条，地方规定 1 条；目录尚未完整导入" in (
        out.getvalue()
    )
    assert current().file_name == "目录.xlsx"

    out = io.StringIO()
    call_command(
        "import_industry_policy",
        str(path),
        "--source",
        SOURCE,
        "--date",
        "2024-02-01",
        "--totals",
        "0,1,1",
        stdout=out,
    )
    assert "目录已完整导入" in out.getvalue() and current().is_complete

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook([row(类别="鼓舞类")]))
    before = state()
    with pytest.raises(CommandError, match="第 2 行「类别」"):
        call_command("import_industry_policy", str(bad), "--source", SOURCE, "--date", "2024-02-01")
    assert state() == before

    exported = tmp_path / "out.xlsx"
    call_command("export_industry_policy", str(exported), stdout=io.StringIO())
    assert load_workbook(exported)["条目"].max_row == 4


def test_the_admin_imports_and_exports(admin_client):
    changelist = admin_client.get("/admin/eligibility/policyversion/").content.decode()
    assert "导入 Excel" in changelist and "已导入/官方总数" in changelist
    seed = current()
    response = admin_client.get(f"/admin/eligibility/policyversion/{seed.pk}/export/")
    assert response.status_code == 200 and response.content[:2] == b"PK"

    bad = io.BytesIO(workbook([row(条目内容=None)]))
    bad.name = "bad.xlsx"
    page = admin_client.post(
        "/admin/eligibility/policyversion/import/",
        {"file": bad, "source": SOURCE, "source_date": "2024-02-01"},
    )
    assert "工作表「条目」第 2 行「条目内容」：不能为空。" in page.content.decode()
    assert current() == seed

    good = io.BytesIO(response.content)
    good.name = "目录.xlsx"
    response = admin_client.post(
        "/admin/eligibility/policyversion/import/",
        {"file": good, "source": SOURCE, "source_date": "2024-02-01"},
    )
    assert response.status_code == 302
    assert current() != seed and content_of(current()) == content_of(seed)
