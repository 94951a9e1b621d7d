"""What the case services tell a user (Chinese), in one place."""

MESSAGES = {
    "stale": "该事项已被他人修改，请刷新后重试。",
    "date_format": "{label}应为日期（YYYY-MM-DD）。",
    "commission_closed": "委托当前状态「{state}」，不能再办理其中的事项。",
    "reason_required": "请填写「{action}」的原因。",
    "reason_too_long": "说明不能超过 {limit} 个字。",
    "missing_none": "容缺受理须列出所缺的材料；材料齐全请直接「受理」。",
    "missing_unknown": "所列材料不属于该办件。",
    "missing_core": "核心材料「{names}」缺失，不能容缺受理。",
    "gaps_not_allowed": "事项「{item}」不适用容缺受理，请补齐材料后受理或退回。",
    "accept_has_missing": "仍有材料被登记为缺失（{names}），请容缺受理或退回。",
    "supplement_due_past": "补正期限不能早于受理日期。",
    "gaps_open": "容缺材料尚未补齐（{names}），不能准予办结。",
    "supplement_none": "没有待补齐的容缺材料。",
    "result_number_required": "请填写批文、证照或决定书文号。",
    "suspension_kind": "请选择中止计时的原因类别。",
    "status_unknown": "材料状态「{status}」无效。",
    "not_approved": "只有准予办结的事项有结果可移交。",
    "handed_over_to": "请填写结果签收人。",
    "already_handed_over": "结果已于 {at:%Y-%m-%d} 移交给 {to}。",
    "before_previous": "发生日期不能早于上一步「{action}」的日期 {day:%Y-%m-%d}。",
    "no_materials_change": "请至少登记一项材料。",
}

#: The history lines (reason column) the services write when the user gave none.
HISTORY = {
    "gaps_supplied": "容缺材料已全部补齐，转为正常受理。",
    "supplemented": "补齐材料：{names}。",
    "missing_listed": "容缺材料：{names}；补正期限 {due:%Y-%m-%d}。",
    "approved": "准予，文号 {number}。",
    "refused": "不予，文号 {number}。",
    "handed_over": "结果已移交，签收人 {to}。",
    "withdrawn_terminated": "委托已终止（{reason}），事项撤回。",
}

#: Why a commission cannot be completed yet (``projects.hooks.completion_blocker``).
COMPLETION = {
    "no_cases": "尚未确定代办帮办方案，没有可办结的事项。",
    "open": "尚有 {n} 个事项未办结：{names}。",
    "not_handed_over": "尚有 {n} 个事项的审批结果未移交项目单位（未登记签收）：{names}。",
    "nothing_done": "没有已办结的事项；如不再需要代办，请终止委托。",
}

#: What a download of a case's file is, as the commission's 「文件查阅记录」 names it.
FILE_SUBJECTS = {
    "material": "{code} {item} · 申请材料：{name}",
    "result": "{code} {item} · 办理结果",
}
FILE_MISSING = {
    "material": "未找到该材料的文件。",
    "result": "该办件没有结果文书。",
}
