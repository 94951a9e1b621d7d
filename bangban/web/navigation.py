from bangban.accounts.models import Role

#: The menu of each role, after "我的工作台" (the pages themselves check access again).
ROLE_NAV: dict[str, list[tuple[str, str]]] = {
    Role.ENTERPRISE: [("projects:portal", "企业服务台"), ("projects:portal_apply", "申请代办")],
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
    ],
    Role.CENTRE_ADMIN: [
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("coordination:meeting_list", "会议协调"),
        ("coordination:task_order_list", "跑腿任务单"),
        ("projects:window_apply", "窗口登记"),
        ("projects:consultation_list", "咨询"),
    ],
    Role.DEPT_OFFICER: [
        ("cases:inbox", "部门收件箱"),
        ("projects:commission_list", "代办委托"),
        ("coordination:action_item_list", "我部门的议定事项"),
        ("coordination:meeting_list", "会议协调"),
    ],
    Role.DEPT_HELPER: [
        ("cases:inbox", "部门收件箱"),
        ("projects:commission_list", "代办委托"),
        ("coordination:action_item_list", "我部门的议定事项"),
        ("coordination:meeting_list", "会议协调"),
    ],
    Role.ERRAND: [("coordination:task_order_list", "跑腿任务单"), ("cases:ledger", "跑腿办件")],
    Role.SUPERVISOR: [
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("coordination:meeting_list", "会议协调"),
        ("projects:consultation_list", "咨询"),
    ],
    Role.LEADER: [
        ("cases:escalation_list", "上报事项"),
        ("projects:commission_list", "代办委托"),
        ("cases:ledger", "办件台账"),
        ("coordination:meeting_list", "会议协调"),
        ("projects:consultation_list", "咨询"),
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
