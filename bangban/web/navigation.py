from bangban.accounts.models import Role

#: The menu of each role, after "我的工作台" (the pages themselves check access again).
ROLE_NAV: dict[str, list[tuple[str, str]]] = {
    # the enterprise's home is its workbench (projects:portal redirects there)
    Role.ENTERPRISE: [
        ("projects:portal_apply", "申请代办"),
        ("evaluation:rating_list", "我的评价"),
    ],
    Role.SPONSOR: [
        ("projects:sponsor_home", "招引项目"),
        ("projects:sponsor_push", "推送项目"),
        ("coordination:task_order_list", "跑腿任务单"),
    ],
    Role.AGENT: [
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("cases:escalation_list", "上报事项"),
        ("coordination:meeting_list", "会议协调"),
        ("coordination:task_order_list", "跑腿任务单"),
        ("projects:window_apply", "窗口登记"),
        ("projects:consultation_list", "咨询"),
        ("web:tools", "工具"),
        ("evaluation:rectification_list", "差评整改"),
        ("evaluation:visit_list", "回访"),
    ],
    Role.CENTRE_ADMIN: [
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("coordination:meeting_list", "会议协调"),
        ("coordination:task_order_list", "跑腿任务单"),
        ("projects:window_apply", "窗口登记"),
        ("projects:consultation_list", "咨询"),
        ("web:tools", "工具"),
        ("evaluation:rating_list", "好差评"),
        ("evaluation:rectification_list", "差评整改"),
        ("evaluation:visit_list", "回访"),
        ("evaluation:complaint_list", "投诉"),
        ("evaluation:accountability_list", "问责"),
        ("supervision:staffing", "人员配备"),
        ("supervision:metrics", "统计指标"),
        ("supervision:planner_accuracy", "方案准确度"),
        ("supervision:monthly_report_list", "月度报表"),
        ("supervision:annual_evaluation_index", "年度评价"),
    ],
    Role.DEPT_OFFICER: [
        ("cases:inbox", "部门收件箱"),
        ("projects:commission_list", "代办委托"),
        ("coordination:action_item_list", "我部门的议定事项"),
        ("coordination:meeting_list", "会议协调"),
        ("web:tools", "工具"),
        ("evaluation:rectification_list", "差评整改"),
    ],
    Role.DEPT_HELPER: [
        ("cases:inbox", "部门收件箱"),
        ("projects:commission_list", "代办委托"),
        ("coordination:action_item_list", "我部门的议定事项"),
        ("coordination:meeting_list", "会议协调"),
        ("web:tools", "工具"),
        ("evaluation:rectification_list", "差评整改"),
    ],
    Role.ERRAND: [("coordination:task_order_list", "跑腿任务单"), ("cases:ledger", "跑腿办件")],
    Role.SUPERVISOR: [
        ("supervision:dashboard", "督查看板"),
        ("supervision:metrics", "统计指标"),
        ("supervision:monthly_report_list", "月度报表"),
        ("supervision:annual_evaluation_index", "年度评价"),
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("coordination:meeting_list", "会议协调"),
        ("projects:consultation_list", "咨询"),
        ("evaluation:rating_list", "好差评"),
        ("evaluation:rectification_list", "差评整改"),
        ("evaluation:visit_list", "回访"),
        ("evaluation:complaint_list", "投诉"),
        ("evaluation:accountability_list", "问责"),
    ],
    Role.LEADER: [
        ("supervision:dashboard", "督查看板"),
        ("supervision:metrics", "统计指标"),
        ("supervision:monthly_report_list", "月度报表"),
        ("supervision:annual_evaluation_index", "年度评价"),
        ("cases:escalation_list", "上报事项"),
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("coordination:meeting_list", "会议协调"),
        ("projects:consultation_list", "咨询"),
        ("evaluation:rating_list", "好差评"),
        ("evaluation:rectification_list", "差评整改"),
        ("evaluation:complaint_list", "投诉"),
        ("evaluation:accountability_list", "问责"),
    ],
}


def navigation(request):
    """The menu a user sees depends on the role (the pages themselves check access again)."""
    user = getattr(request, "user", None)
    items = [("catalog:item_list", "事项清单")]
    if user is not None and user.is_authenticated:
        items = [("web:home", "我的工作台"), *ROLE_NAV.get(user.role, []), *items]
        items.append(("web:messages", "消息"))
        if user.is_superuser or user.role in (Role.CENTRE_ADMIN,):
            items.append(("admin:index", "系统管理"))
    return {"nav_items": items}
