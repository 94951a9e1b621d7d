"""What the after-service services tell a user (Chinese): ratings, rectifications, visits.
Re-exported by ``evaluation.messages``."""

MESSAGES: dict[str, str] = {
    "stale_rectification": "该整改已被他人修改，请刷新后重试。",
    "stale_visit": "该回访已被他人修改，请刷新后重试。",
    "id_invalid": "所选内容无效，请重新选择。",
    "text_too_long": "{label}不能超过 {limit} 个字。",
    # ratings
    "level_required": "请选择评价等级（非常满意、满意、基本满意、不满意、非常不满意）。",
    "commission_unknown": "未找到该代办委托，或您无权评价。",
    "case_unknown": "所选办件不属于该代办委托。",
    "commission_not_completed": "代办委托办结后才能评价（当前状态「{state}」）。",
    "case_not_completed": "事项「{name}」办结后才能评价（当前状态「{state}」）。",
    "commission_rated": "该代办服务已于 {day:%Y-%m-%d} 评价过（{level}），每项服务只能评价一次。"
    "如有意见，可在回访时反映或提出投诉。",
    "case_rated": "事项「{name}」已于 {day:%Y-%m-%d} 评价过（{level}），每个事项只能评价一次。",
    "rate_forbidden": "只有该项目的项目单位可以在线评价。",
    "record_forbidden": "只有该委托的代办帮办员或中心管理员可以登记窗口或纸质评价。",
    "source_invalid": "请选择评价渠道（窗口评价器/纸质评价表）。",
    "rated_at_future": "评价时间不能晚于现在。",
    "rated_at_before": "评价时间不能早于办结时间 {when:%Y-%m-%d %H:%M}。",
    # rectifications
    "verification_required": "请填写核实情况。",
    "measures_required": "请填写整改措施。",
    "answer_required": "请填写对评价人的反馈内容。",
    "close_note_required": "请填写办结说明（如回访情况）。",
    "reopen_reason_required": "请填写退回重新整改的原因。",
    # visits
    "method_required": "请选择回访方式（电话、实地或短信）。",
    "visited_at_required": "请填写回访时间。",
    "visited_at_future": "回访时间不能晚于现在。",
    "visited_at_before": "回访时间不能早于办结时间 {when:%Y-%m-%d %H:%M}。",
    "contact_required": "请填写受访人。",
    "findings_required": "请填写回访情况。",
    "cancel_reason_required": "请填写取消回访的原因。",
    "schedule_forbidden": "只有中心管理员或督查人员可以安排回访。",
    "schedule_not_completed": "代办委托办结后才能安排回访（当前状态「{state}」）。",
    "due_required": "请填写回访期限。",
    "due_past": "回访期限不能早于今天。",
    "visit_open": "该委托已有待回访的安排（期限 {due:%Y-%m-%d}）。",
}

#: The history lines the services write.
HISTORY = {
    "opened": "{level}：{comment}",
    "visit_close": "回访（{method}，{when:%Y-%m-%d}）：{findings}",
}
