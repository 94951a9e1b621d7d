"""The one-time notice (builder and Word document) and the application schedule (Excel)."""

import datetime as dt
import io
from types import SimpleNamespace

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from bangban.catalog.models import Material
from bangban.planning.compute import plan_compute
from bangban.planning.exports import SCHEDULE_HEADERS, notice_docx, schedule_xlsx
from bangban.planning.notice import notice_build

from .test_plan_compute import CHEMICAL, FACTORY, FACTORY_ITEMS

D = dt.date


def _material(name, form="original", core=True, copies=1, note=""):
    labels = {"original": "原件", "copy": "复印件", "electronic": "电子件", "both": "原件及复印件"}
    return SimpleNamespace(
        name=name, form=form, form_label=labels[form], copies=copies, is_core=core, note=note
    )


def _item(code, name, stage, order, *materials):
    return SimpleNamespace(
        code=code,
        name=name,
        stage=stage,
        stage_label={"a": "市场准入", "b": "立项用地规划许可", "c": "施工许可"}[stage],
        stage_order=order,
        materials=materials,
    )


def test_notice_lists_each_material_once_under_its_earliest_stage():
    items = [
        # planned order: a later stage may come first in time
        _item("B1", "项目备案", "b", 2, _material("营业执照", "copy"), _material("备案表")),
        _item("A1", "公司注册", "a", 0, _material("公司章程"), _material("营业执照", core=False)),
        _item("C1", "施工许可", "c", 5, _material("营业执照", "original", copies=2)),
        _item("C2", "消防审查", "c", 5, _material("图纸", core=False, note="电子版即可")),
    ]
    notice = notice_build(items)
    assert [s.stage_label for s in notice.sections] == ["市场准入", "立项用地规划许可", "施工许可"]
    assert [[m.name for m in s.materials] for s in notice.sections] == [
        ["营业执照", "公司章程"],
        ["备案表"],
        ["图纸"],
    ]
    licence = notice.sections[0].materials[0]
    assert licence.items == (("B1", "项目备案"), ("A1", "公司注册"), ("C1", "施工许可"))
    assert licence.is_core  # core for one item → core
    assert licence.form == "both" and licence.form_label == "原件及复印件"
    assert licence.copies == 2
    drawings = notice.sections[2].materials[0]
    assert not drawings.is_core and drawings.notes == ("电子版即可",)
    assert notice.material_count == 4 and notice.non_core_count == 1
    assert notice_build([]).sections == ()


@pytest.mark.django_db
def test_word_notice_has_every_material_of_the_plan_exactly_once():
    plan = plan_compute(attributes=FACTORY, start_date=D(2026, 9, 21))
    notice = notice_build(plan.items)
    content = notice_docx(
        notice,
        issued_on=D(2026, 9, 21),
        item_count=len(plan.items),
        project_name="年产 5 万台锅炉项目",
        enterprise_name="鄂尔多斯市某某装备制造有限公司",
    )
    document = Document(io.BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "投资项目审批申请材料一次性告知单"
    assert "项目名称：年产 5 万台锅炉项目" in texts
    assert "项目单位：鄂尔多斯市某某装备制造有限公司" in texts
    assert "告知日期：2026年9月21日" in texts
    assert "容缺受理" in texts[-1]

    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        "一、市场准入",
        "二、土地使用权出让",
        "三、立项用地规划许可",
        "四、工程建设许可",
        "五、施工许可",
        "六、竣工验收",
        "七、市政公用服务",
        "八、其他事项",
    ]
    assert len(document.tables) == len(headings)
    listed = []
    for table in document.tables:
        assert [c.text for c in table.rows[0].cells][:2] == ["序号", "材料名称"]
        listed += [row.cells[1].paragraphs[0].text for row in table.rows[1:]]
    expected = set(
        Material.objects.filter(
            item__version__number=plan.catalog_version, item__code__in=FACTORY_ITEMS
        ).values_list("name", flat=True)
    )
    assert len(listed) == len(set(listed))  # once each
    assert set(listed) == expected
    # Chinese fonts are declared for Word (w:eastAsia), on the styles and on the runs.
    fonts = document.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert fonts.get(qn("w:eastAsia")) == "宋体"
    run_fonts = document.paragraphs[0].runs[0]._element.rPr.find(qn("w:rFonts"))
    assert run_fonts.get(qn("w:eastAsia")) == "黑体"


@pytest.mark.django_db
def test_excel_schedule_reads_back_in_planned_order():
    scope = FACTORY_ITEMS - {"UT05", "UT06"}
    plan = plan_compute(attributes=FACTORY, start_date=D(2026, 9, 21), scope_codes=scope)
    workbook = openpyxl.load_workbook(io.BytesIO(schedule_xlsx(plan, project_name="锅炉项目")))
    sheet = workbook["申报计划"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == SCHEDULE_HEADERS
    assert len(rows) == 1 + len(plan.items)
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 30
    by_name = {row[1]: row for row in rows[1:]}
    first = rows[1]
    assert first[:5] == (
        "市场准入",
        "公司注册（企业设立登记）",
        "东胜区市场监督管理局",
        "旗区/园区",
        "帮办代办",
    )
    assert first[5:9] == (
        dt.datetime(2026, 9, 21),
        dt.datetime(2026, 9, 23),
        dt.datetime(2026, 9, 23),
        2,
    )
    assert first[9] == "是" and first[10] == "无" and first[11] == "代办"
    assert sheet["F2"].number_format == "yyyy-mm-dd"
    ds09 = by_name["拟以出让方式取得土地使用权的项目"]
    assert ds09[7] == dt.datetime(2027, 1, 19) and ds09[8] == 30 and ds09[9] == "是"
    assert set(ds09[10].split("、")) == {
        "建设项目用地预审与选址意见书",
        "建设用地规划条件意见书",
        "征收林地的初审",
        "公司注册（企业设立登记）",
    }
    assert by_name["通信接入"][11] == "企业自行办理"
    assert by_name["项目计划用水量核定"][9] == "否"
    starts = [row[5] for row in rows[1:]]
    assert starts == sorted(starts)  # planned order
    summary = dict(workbook["概况"].iter_rows(values_only=True))
    assert summary["项目名称"] == "锅炉项目"
    assert summary["并联办理工作日"] == 191 and summary["串联办理工作日"] == 362
    assert summary["预计办结"] == dt.datetime(2027, 6, 22)
    assert "暂定" in summary["提示"]


@pytest.mark.django_db
def test_excel_schedule_without_provisional_dates_has_no_warning():
    plan = plan_compute(attributes=CHEMICAL, start_date=D(2026, 1, 26))
    workbook = openpyxl.load_workbook(io.BytesIO(schedule_xlsx(plan)))
    summary = dict(workbook["概况"].iter_rows(values_only=True))
    assert "提示" not in summary and summary["项目名称"] == "（未填写）"
    assert summary["压缩比例"] == 0.7025  # 1 - 144/484
