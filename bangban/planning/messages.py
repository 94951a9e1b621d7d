"""What the plan services tell a user and write to the commission's history (Chinese), and
what the plan page and API say before an action reaches a service, in one place.
Placeholders are filled with ``str.format``. The success message of each action is a column
of the action table (``actions.py``)."""

from bangban.common.exceptions import READ_ONLY_MESSAGE

MESSAGES = {
    # refusals
    "not_owner": "只有本委托的代办帮办员或中心管理员可以调整方案。",
    "plan_exists": "该委托已有方案。",
    "no_plan": "该委托尚未生成方案。",
    "kind": "调整方式应为“添加事项”或“移除事项”。",
    "no_code": "请选择事项。",
    "no_reason": "请填写调整理由。",
    "reason_too_long": "调整理由不能超过 {limit} 字。",
    "plan_fixed": "方案已确定，不能再添加或移除事项。",
    "unknown_code": "事项清单第 {version} 版中没有编码为“{code}”的事项。",
    "already_in": "“{name}”已在方案中。",
    "not_in": "“{name}”不在方案中。",
    "empty_plan": "方案中没有事项，不能确定。",
    "plan_not_fixed": "方案尚未确定：请在草案中添加或移除事项。",
    "no_reason_not_needed": "请填写不需办理的理由。",
    "no_case": "方案中没有编码为“{code}”的办件。",
    "case_closed": "“{name}”的办件已结束（{state}），不能再标为不需办理。",
    "case_under_way": (
        "“{name}”当前为“{state}”，已申报的事项不能标为不需办理；如需停止办理，请在办件页撤回。"
    ),
    "case_dropped": "“{name}”已有办件（{state}），不能再次增加。",
    # reasons written to the history (the enterprise reads them)
    "generated": "生成代办帮办方案草案",
    "adjusted": "{label}：{code} {name}（{reason}）",
    "fixed": (
        "方案确定：{count} 项（代办 {in_scope} 项），计划 {days} 个工作日，预计 {end:%Y-%m-%d} 完成"
    ),
    "end_moved": "预计完成日期由 {before:%Y-%m-%d} 调整为 {after:%Y-%m-%d}",
    "replanned": "按实际办理日期重新排期",
    "replan_days": "{reason}：计划 {days} 个工作日",
    "replan_moved": "，{moved}",
    "replan_end": "，预计 {end:%Y-%m-%d} 完成",
    "case_added": (
        "增加事项：{code} {name}（{reason}），计划 {due:%Y-%m-%d} 办结；"
        "方案已按今日重新排期，预计 {end:%Y-%m-%d} 完成"
    ),
    "case_started": "{case} 开始办理",
    "case_finished": "{case} 已办结（{finish:%Y-%m-%d}，原计划 {baseline:%Y-%m-%d}）",
    "case_in_progress": "{case} 已开始办理（{start:%Y-%m-%d}）",
    "progress_replanned": "{what}，已按实际日期重新排期",
    "progress_moved": "；{moved}",
}

#: What the plan page and the API say before an action reaches a service.
ACTION_MESSAGES = {
    "read_only": READ_ONLY_MESSAGE,
    "no_version": "缺少版本号，请刷新页面后重试。",
    "no_case": "未找到该事项的办件。",
    "unknown_case_code": "方案中没有编码为“{code}”的办件。",
    "unknown_action": "没有这种操作。",
}
