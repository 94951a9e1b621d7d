"""The Chinese the commission services and their notifications show to users — no Django import.

Kept apart from the code (like ``bangban.rules.screening.MESSAGES`` and
``bangban.documents.wording``) so the wording can be read, reviewed and changed in one place.
Placeholders are filled with ``str.format``. The table's own wording (an illegal move, a role
that may not act) lives with the table in ``lifecycle.py``; the stale-version message in
``exceptions.py``.
"""

from __future__ import annotations

#: Errors of the services (``ValidationError`` / ``ActionForbidden`` messages).
ERRORS = {
    # said times
    "occurred_in_future": "发生时间不能晚于当前时间。",
    "occurred_before_application": "发生时间不能早于申请时间。",
    "recorded_in_future": "记录时间不能晚于当前时间。",
    # application
    "channel_forbidden": "您的角色不能通过该渠道提交申请。",
    "not_own_project": "只能为本企业的项目申请代办帮办。",
    "open_commission_exists": "该项目已有进行中的代办委托（{number}）。",
    "scope_invalid": "委托范围应为全程代办或部分代办。",
    "scope_items_unknown": "事项编码 {codes} 不在已发布的事项清单中。",
    "enterprise_account_unlinked": "该账号未关联企业，请联系中心管理员。",
    "enterprise_registration_locked": (
        "{fields}是企业的登记信息，不能在申请中修改；如有变更，请联系中心管理员更正。"
    ),
    "enterprise_missing": "请填写项目单位信息。",
    "sponsor_region_outside": "项目建设地点应在招引单位所在区划内。",
    "no_lead_department": (
        "该建设地点暂未开通代办帮办服务（未配置牵头部门），请联系政务服务中心。"
    ),
    "consultation_converted": "该咨询已转为代办委托。",
    # enterprises and consultations
    "enterprise_create_forbidden": "您的角色不能登记企业。",
    "consultation_record_forbidden": "您的角色不能登记咨询。",
    "consultation_region_outside": "只能登记本辖区的咨询。",
    "project_region_outside": "项目建设地点应在您所在区划（{region}）内，不能为其他区划的项目登记申请。",
    "enterprise_region_outside": "只能登记所在区划为{region}（含下级区划）的企业。",
    "created_out_of_scope": "该申请不在您的服务范围内（牵头部门或建设地点不属于您所在的中心），未予登记。",
    "enterprise_out_of_scope": "该企业不在您的服务范围内，未予登记。",
    # a credit code whose region code is unknown: the page asks with a checkbox, the API with
    # a flag ({warning} is the rules' sentence)
    "credit_code_confirm_page": "{warning}核对无误请勾选“已核对统一社会信用代码无误”后再提交。",
    "credit_code_confirm_api": '{warning}核对无误请在请求中加上 "credit_code_confirmed": true 后再提交。',
    "consultation_convert_forbidden": "您的角色不能把咨询转为代办申请。",
    # sponsor push
    "sponsor_push_forbidden": "只有招引单位/产业办可以推送项目。",
    "sponsor_without_department": "招引单位账号未指定所属部门。",
    # eligibility
    "awaiting_decision": "该项目已提请发展改革部门决定，请等待决定后再核实。",
    "entries_unchecked": (
        "不予办理所依据的条目尚未对照官方文本核对：{entries}。请对照官方文本核对条文与来源，"
        "确认无误后勾选“已核对命中条目”再作出核实结论（告知书只写条文、类别和来源）。"
    ),
    "not_awaiting_decision": "该委托没有待决定的核实。",
    "no_eligibility_check": "找不到该委托的核实记录。",
    "not_decided": "发展改革部门尚未作出决定。",
    "not_awaiting_confirmation": "该委托没有待代办员确认的核实结论。",
    # assignment
    "no_agent_available": "没有可指派的代办帮办员，请先为牵头部门配置代办帮办员。",
    "agent_claims_only_own_pool": "代办帮办员只能为自己认领本部门未指派的申请。",
    "agent_outside_pool": "只能指派{where}范围内在岗的代办帮办员。",
    "agent_outside_pool_where": "牵头部门",
    "agent_already_assigned": "该代办帮办员已是本委托的代办员。",
    "held_by_colleague": (
        "该委托由代办帮办员{agent}负责，您可以查看，但不能办理；"
        "如需接手，请中心管理员更换代办帮办员。"
    ),
    # letters and agreement
    "not_own_letters": "只能确认本企业的文书。",
    "letters_without_agent": "尚未指派代办帮办员，暂不能签署文书。",
    "letter_already_confirmed": "{label}已确认，无需重复确认。",
    "signed_scan_missing": "请选择签字盖章扫描件。",
    "agree_letters_missing": "授权委托书和承诺书均签署后才能签约。",
    "agree_without_agent": "尚未指派代办帮办员，不能签约。",
    # termination
    "termination_reason_missing": "请选择终止原因：与法律政策冲突、不再具备条件或投资者要求。",
    "termination_enterprise_reason": "项目单位只能以“投资者要求”终止委托。",
    "termination_note_missing": "请填写终止说明。",
    # completion and archive
    "complete_without_agent": "尚未指派代办帮办员，不能办结。",
    "not_own_completion": "只能确认本企业委托的办结。",
    "completion_already_confirmed": "已确认办结，无需重复确认。",
    "comment_too_long": "意见不能超过 {limit} 个字。",
    "archive_unconfirmed": "项目单位尚未确认办结，暂不能归档。",
    "completion_scan_missing": "请选择项目单位签字的服务办结单扫描件。",
    "completion_signed_on_missing": "请填写签字日期（YYYY-MM-DD）。",
    "completion_signed_on_future": "签字日期不能晚于今天。",
    "completion_signed_on_before_completion": "签字日期不能早于办结日期（{completed_on}）。",
    "completion_signed_by_missing": "请填写代表项目单位签字的人员姓名。",
    "completion_signed_by_too_long": "签字人姓名不能超过 {limit} 个字。",
    "original_name_missing": "请填写返还的原件名称。",
    "original_receiver_missing": "请填写签收人。",
    "original_date_missing": "请填写返还日期（YYYY-MM-DD）。",
    "original_date_future": "返还日期不能晚于今天。",
    "original_date_before_application": "返还日期不能早于申请日期。",
}

#: The two letters, as the history and the messages name them.
AUTHORIZATION_LETTER = "授权委托书"
COMMITMENT_LETTER = "承诺书"
#: What the commission's stored files are (the attachment's purpose, the read log's subject).
SIGNED_SCAN_PURPOSE = "授权委托书和承诺书签字盖章件"
COMPLETION_SCAN_PURPOSE = "服务办结单（纸质签字确认）"

#: Reasons written to a commission's history (``CommissionTransition.reason``).
HISTORY = {
    "assigned": "指派 {agent}",
    "assigned_previous": "（原代办员：{previous}）",
    "assigned_reason": "：{reason}",
    "letter_confirmed": "在线确认{label}",
    "signed_scan": "上传授权委托书和承诺书签字盖章扫描件（{filename}）",
    "agreed": "授权委托书和承诺书均已签署",
    "terminated_note": "：{note}",
    "completed": "全部代办事项已办结，审批结果已移交项目单位",
    "completion_confirmed": "项目单位在线确认办结",
    "completion_comment": "：{comment}",
    "completion_paper": (
        "登记项目单位纸质签字确认办结（签字人：{signer}，签字日期：{signed_on:%Y-%m-%d}；"
        "扫描件：{filename}）"
    ),
    "originals_returned": "返还原件：{lines}",
    "archived": "已归档（返还原件 {count} 项）",
    "archived_no_originals": "已归档（无返还原件）",
}

#: What the notifications of a history row say (subject and body); ``{title}`` is
#: 「project name（commission number）」.
NOTICES = {
    "title": "{project}（{number}）",
    "apply_subject": "新的代办帮办申请：{title}",
    "apply_body": "{enterprise}申请代办帮办（{channel}，{scope}），请安排代办帮办员联系核实。",
    "sponsor_push_subject": "招引项目推送：{title}",
    "sponsor_push_body": "{sponsor}推送已签约项目“{project}”（{enterprise}），牵头部门：{lead}。",
    "assign_subject": "代办帮办员：{title}",
    "assign_body": "{title}的代办帮办员为 {agent}。",
    "assign_replaced": "（已更换代办帮办员，原代办员不再负责本委托。）",
    "screen_subject": "待发展改革部门决定：{title}",
    "screen_body": "该项目涉及限制类产能改造，须由发展改革部门决定后继续办理。",
    "verified_subject": "已核实，请签署授权委托书和承诺书：{title}",
    "verified_body": "项目已核实符合代办帮办条件。请在企业服务台在线确认授权委托书和承诺书。",
    "refused_subject": "不予办理：{title}",
    "letter_subject": "{action}：{title}",
    "letter_body": "{actor}：{reason}",
    "agreed_subject": "已签约：{title}",
    "agreed_body": "授权委托书和承诺书均已签署，代办帮办员将据此制定代办帮办方案。",
    "terminated_subject": "已终止：{title}",
    "completed_subject": "已办结，请确认办结单：{title}",
    "completed_body": "代办事项已全部办结，审批结果已移交。请在企业服务台查看服务办结单并确认办结。",
    "completion_confirmed_subject": "项目单位已确认办结：{title}",
    "completion_paper_subject": "已登记纸质确认办结：{title}",
    "originals_subject": "返还原件：{title}",
    "plan_subject": "{label}：{title}",
    "plan_adjusted": "代办帮办方案调整",
    "plan_fixed": "代办帮办方案已确定",
    "plan_replanned": "办理进展",
    "plan_started": "开始办理",
    "other_subject": "{action}：{title}",
    "state_body": "委托状态：{state}。",
}
