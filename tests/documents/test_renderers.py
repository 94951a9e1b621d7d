"""What each generated form says (read back with python-docx; no database)."""

import dataclasses

import pytest

from bangban.documents.data import (
    ApplicationChannel,
    AspectRating,
    RefusalDecision,
    SatisfactionLevel,
    Scope,
    TerminationReason,
)
from bangban.documents.renderers import (
    render_authorization_letter,
    render_commitment_letter,
    render_completion_slip,
    render_evaluation_form,
    render_refusal_notice,
    render_service_application,
    render_task_order,
    render_termination_slip,
)
from tests.documents import samples
from tests.documents.docx_reading import (
    CJK_FONTS,
    all_text,
    east_asia_font,
    open_docx,
    table_rows,
    text_runs,
)

SCOPE_NAMES = [item.name for item in samples.PARTIAL_SCOPE.items]

# (generator, sample data, what must appear besides the enterprise and project)
CASES = {
    "application": (render_service_application, samples.application, SCOPE_NAMES),
    "authorization": (render_authorization_letter, samples.authorization, SCOPE_NAMES),
    "commitment": (render_commitment_letter, samples.commitment, SCOPE_NAMES),
    "refusal": (
        render_refusal_notice,
        samples.refusal,
        ["项目为新建电石生产装置", "项目不在园区产业发展规划确定的产业范围内"],
    ),
    "completion": (
        render_completion_slip,
        samples.completion,
        ["企业投资项目备案", "建设工程规划许可证核发", "建字第150271202600045号"],
    ),
    "termination": (
        render_termination_slip,
        samples.termination,
        [samples.ITEMS[0].name, samples.ITEMS[1].name, samples.ITEMS[2].name],
    ),
    "evaluation": (render_evaluation_form, samples.evaluation, SCOPE_NAMES),
    "task_order": (render_task_order, samples.task_order, ["取水许可审批", "包头市水务局"]),
}


def _render(name: str, **changes):
    render, sample, _ = CASES[name]
    return open_docx(render(sample(**changes)))


def _text(name: str, **changes) -> str:
    return all_text(_render(name, **changes))


@pytest.mark.parametrize("name", CASES)
def test_form_names_enterprise_project_and_items(name):
    render, sample, expected = CASES[name]
    data = sample()
    text = all_text(open_docx(render(data)))
    assert data.enterprise.name in text
    assert samples.CREDIT_CODE in text
    assert data.project.name in text
    for snippet in expected:
        assert snippet in text, f"{name}: {snippet!r} missing"


@pytest.mark.parametrize("name", CASES)
def test_every_run_names_a_chinese_font(name):
    doc = _render(name)
    runs = text_runs(doc)
    assert runs
    fonts = {east_asia_font(run) for run in runs}
    assert fonts <= CJK_FONTS, fonts
    title_runs = [run for run in runs if run.text == doc.core_properties.title]
    assert title_runs and east_asia_font(title_runs[0]) == "黑体"
    assert doc.sections[0].header.paragraphs[0].text == samples.CENTRE.name
    header_runs = doc.sections[0].header.paragraphs[0].runs
    assert all(east_asia_font(run) in CJK_FONTS for run in header_runs)


@pytest.mark.parametrize("name", CASES)
def test_dates_are_written_the_chinese_way(name):
    text = _text(name)
    assert "年" in text and "月" in text and "日" in text
    assert "2026-11-23" not in text


# --- 服务申请表 ----------------------------------------------------------------------------


def test_application_title_uses_the_centre_prefix_or_the_default():
    assert "稀土高新区“蒙速办·帮您办”服务申请表" in _text("application")
    centre = dataclasses.replace(samples.CENTRE, title_prefix="")
    assert "代办帮办服务申请表" in _text("application", centre=centre)


def test_application_shows_scope_channel_sponsor_and_figures():
    text = _text("application")
    assert "☐全程代办" in text and "☑部分代办" in text
    assert "立项用地规划许可、工程建设许可" in text
    assert "☑招引单位推送" in text and "☐企业网上申请" in text and "☐窗口受理" in text
    assert "稀土产业局" in text
    assert "58,000" in text and "12.6" in text and "86,000" in text
    assert "☑是" in text  # key project
    for value in ("王建国", "李晓燕", "13904721234", "黄河大街66号", "2026-150271-32-03-000168"):
        assert value in text
    assert "2026年11月23日" in text
    assert "申请单位（盖章）" in text


def test_application_for_full_scope_without_items_describes_the_whole_journey():
    text = _text("application", scope=Scope(full=True), channel=ApplicationChannel.WINDOW)
    assert "☑全程代办" in text
    assert "竣工验收" in text
    assert "☑窗口受理" in text


def test_application_lists_requested_items_with_department_and_stage():
    rows = table_rows(_render("application"))
    assert ["序号", "事项名称", "办理部门", "阶段"] in rows
    assert ["1", "企业投资项目备案", "经济发展局", "立项用地规划许可"] in rows


# --- 授权委托书 ----------------------------------------------------------------------------


def test_authorization_has_items_table_term_powers_and_limits():
    doc = _render("authorization")
    rows = table_rows(doc)
    assert ["序号", "事项名称", "办理部门", "阶段"] in rows
    assert ["3", "建设项目环境影响报告表审批", "环保局", "工程建设许可"] in rows
    text = all_text(doc)
    assert "自2026年11月23日起至2027年11月22日止" in text
    assert "代办不包办" in text
    assert "不改变审批事项的法律关系" in text
    assert "一律免费" in text and "法律法规明确规定" in text
    assert "张帮办" in text and "13847201234" in text and "企业服务局帮办代办科" in text
    assert "委托方（盖章）" in text and "受托方（盖章）" in text


def test_authorization_notes_online_confirmation_only_when_confirmed():
    text = _text("authorization")
    assert "李晓燕于2026年11月23日 10:32通过蒙速办企业服务门户在线确认" in text
    assert "QR20261123000168" in text
    assert "在线确认" not in _text("authorization", online_confirmation=None)


def test_full_authorization_without_items_names_the_whole_journey():
    text = _text("authorization", scope=Scope(full=True))
    assert "全程代办" in text and "竣工验收" in text


# --- 服务承诺书 ----------------------------------------------------------------------------


def test_commitment_has_both_sides_and_the_six_forbidden_behaviours():
    text = _text("commitment")
    assert "一、项目单位承诺" in text and "二、服务中心承诺" in text
    assert "真实、完整、有效" in text
    for promise in ("免费服务", "一次性告知", "限时办结", "进展反馈", "保守秘密"):
        assert promise in text
    for behaviour in (
        "推诿拖延",
        "态度恶劣",
        "吃拿卡要",
        "泄露商业秘密",
        "非法使用企业资料",
        "损害企业声誉利益",
    ):
        assert f"杜绝{behaviour}" in text
    assert "0472-5163108" in text
    assert "项目单位（盖章）" in text and "服务中心（盖章）" in text


def test_commitment_lists_deferred_materials_with_their_deadline():
    rows = table_rows(_render("commitment"))
    assert [
        "1",
        "建设项目用地预审与选址意见书",
        "项目用地范围界址点坐标",
        "2026年12月7日",
    ] in rows
    assert "补齐期限如下" not in _text("commitment", deferred_materials=())


# --- 不予办理告知书 ------------------------------------------------------------------------


def test_refusal_of_service_names_entry_class_source_and_review():
    text = _text("refusal")
    assert "不予办理告知书" in text
    assert "包稀高政服告〔2026〕12号" in text
    assert (
        "1. 项目为新建电石生产装置，新增电石产能，属于内蒙古自治区产能控制清单（2024年版）"
        "中的禁止新增产能条目“电石（新增产能）”。"
    ) in text
    assert "2. 项目不在园区产业发展规划确定的产业范围内。" in text
    assert "《产业结构调整指导目录（2024年本）》" in text
    assert "控制事项明确答复制" in text
    assert "不予办理代办帮办服务" in text
    assert "15个工作日内向包头稀土高新区政务服务局申请复核" in text
    assert "不是行政许可决定" in text
    assert "六十日" not in text  # statutory deadlines belong to refused applications
    assert "（盖章）" in text and "2026年11月23日" in text
    assert "送达回证" in text


def test_refusal_of_an_application_names_the_statutory_remedies():
    text = _text(
        "refusal",
        decision=RefusalDecision.ACCEPTANCE,
        item_name="企业投资项目备案",
        issuer="包头稀土高新区经济发展局",
        review_body="",
        reconsideration_body="包头市人民政府",
        court="包头市昆都仑区人民法院",
    )
    assert "不予受理告知书" in text
    assert "企业投资项目备案申请" in text
    assert "本机关决定对该申请不予受理" in text
    assert "六十日内向包头市人民政府申请行政复议" in text
    assert "六个月内向包头市昆都仑区人民法院提起行政诉讼" in text
    assert "申请复核" not in text


def test_refusal_review_period_is_optional():
    text = _text("refusal", review_within_workdays=None)
    assert "可以向包头稀土高新区政务服务局申请复核" in text


# --- 办结单 --------------------------------------------------------------------------------


def test_completion_slip_lists_results_documents_and_confirmation():
    doc = _render("completion")
    rows = table_rows(doc)
    assert any(
        row[:3] == ["2", "建设工程规划许可证核发", "规划分局"]
        and "建字第150271202600045号" in row[3]
        and row[4] == "2027年3月12日"
        for row in rows
    )
    assert ["1", "建设工程规划许可证（正本）", "原件", "1"] in rows
    text = all_text(doc)
    assert "营业执照副本、土地出让合同" in text
    assert "☑上述事项已办结" in text
    assert "李晓燕于2027年3月16日 09:05在线确认" in text


def test_unconfirmed_completion_slip_leaves_the_box_empty():
    text = _text("completion", confirmation=None)
    assert "☐上述事项已办结" in text


# --- 终止单 --------------------------------------------------------------------------------


def test_termination_slip_ticks_the_reason():
    text = _text("termination")
    assert "☑投资者要求" in text
    assert "☐与法律政策冲突" in text and "☐不再具备条件" in text
    assert "投资方调整投资计划" in text
    assert "2027年1月8日" in text
    text = _text("termination", reason=TerminationReason.LAW_OR_POLICY)
    assert "☑与法律政策冲突" in text and "☐投资者要求" in text


# --- 评价表 --------------------------------------------------------------------------------

LEVELS = ["非常满意", "满意", "基本满意", "不满意", "非常不满意"]


def test_evaluation_form_ticks_the_chosen_levels():
    rows = table_rows(_render("evaluation"))
    assert ["评价内容", *LEVELS] in rows
    assert ["服务态度", "☑", "☐", "☐", "☐", "☐"] in rows
    assert ["办事效率", "☐", "☑", "☐", "☐", "☐"] in rows
    assert ["总体评价", "☑", "☐", "☐", "☐", "☐"] in rows


def test_blank_evaluation_form_lists_standard_aspects_unticked():
    doc = _render("evaluation", aspects=(), overall=None, comment="", evaluator="")
    rows = table_rows(doc)
    assert ["服务态度", "☐", "☐", "☐", "☐", "☐"] in rows
    assert ["廉洁自律", "☐", "☐", "☐", "☐", "☐"] in rows
    assert "☑" not in all_text(doc)


def test_evaluation_form_with_bad_rating():
    doc = _render(
        "evaluation",
        aspects=(AspectRating(aspect="办事效率", level=SatisfactionLevel.VERY_DISSATISFIED),),
        overall=SatisfactionLevel.DISSATISFIED,
    )
    rows = table_rows(doc)
    assert ["办事效率", "☐", "☐", "☐", "☐", "☑"] in rows
    assert ["总体评价", "☐", "☐", "☐", "☑", "☐"] in rows
    assert "核实、整改并回访" in all_text(doc)


# --- 专业跑腿任务单 ------------------------------------------------------------------------


def test_task_order_names_issuer_company_items_and_deadline():
    doc = _render("task_order")
    text = all_text(doc)
    assert "专业跑腿任务单" in text
    assert "稀土高新区经济发展招商服务局" in text
    assert "包头市速达政务跑腿服务有限公司" in text and "孙跑腿" in text
    assert "2026年12月4日前" in text
    assert "不得向项目单位收取任何费用" in text
    assert "办理结果反馈" in text
    rows = table_rows(doc)
    assert [
        "1",
        "取水许可审批",
        "包头市水务局",
        "包头市政务服务中心",
        "取水许可申请书、水资源论证报告表",
        "取得受理通知书",
    ] in rows


def test_task_order_extra_requirements_are_appended():
    text = _text("task_order", requirements="办结后将受理通知书扫描件上传平台。")
    assert "5. 办结后将受理通知书扫描件上传平台。" in text


def test_forms_render_many_items_without_error():
    items = tuple(dataclasses.replace(samples.ITEMS[0], name=f"事项{index}") for index in range(40))
    doc = _render("authorization", scope=Scope(full=True, items=items))
    assert "事项39" in all_text(doc)


def test_forms_render_with_only_the_required_fields():
    from bangban.documents.data import Agent, Enterprise, Project, ServiceCentre

    centre = ServiceCentre(name="某政务服务中心")
    enterprise = Enterprise(
        name="某公司",
        credit_code=samples.CREDIT_CODE,
        legal_representative="甲",
        contact_name="乙",
        contact_mobile="13900000000",
    )
    project = Project(name="某项目")
    application = samples.application(
        centre=centre,
        enterprise=enterprise,
        project=project,
        number="",
        sponsor="",
        sponsor_contact="",
        other_needs="",
        received_by="",
        received_on=None,
    )
    text = all_text(open_docx(render_service_application(application)))
    assert "代办帮办服务申请表" in text and "某公司" in text and "某项目" in text
    letter = samples.authorization(
        centre=centre,
        enterprise=enterprise,
        project=project,
        agent=Agent(name="丙", mobile="13800000000"),
        number="",
        signed_on=None,
        online_confirmation=None,
    )
    text = all_text(open_docx(render_authorization_letter(letter)))
    assert "年　　月　　日" in text  # blank signature dates to fill in by hand
