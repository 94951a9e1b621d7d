"""What the evaluation services tell a user (Chinese), in one place; each part of the app
keeps its own dictionaries in its own block (several people edit this file)."""

# --- complaints and accountability ---
COMPLAINT_MESSAGES = {
    "stale": "该投诉已被他人修改，请刷新后重试。",
    "id_invalid": "所选内容无效，请重新选择。",
    "text_too_long": "{label}不能超过 {limit} 个字。",
    "register_only": "只有中心管理员、督查人员可以登记投诉（代办帮办员可登记窗口当面收到的投诉）。",
    "window_only": "代办帮办员只能登记窗口当面收到的投诉，其他渠道的投诉请交中心管理员或督查人员登记。",
    "channel_invalid": "请选择投诉渠道。",
    "category_invalid": "请选择投诉类别。",
    "subject_required": "请选择被投诉人员或被投诉部门。",
    "subject_user_unknown": "所选被投诉人员不存在、已停用或不在您的管辖区划内。",
    "subject_user_role": "被投诉人员应为代办帮办员、部门人员或跑腿公司人员。",
    "subject_self": "不能登记针对本人的投诉，请交中心管理员或督查人员登记。",
    "subject_department_unknown": "所选被投诉部门不存在、已停用或不在您的管辖区划内。",
    "subject_department_mismatch": "被投诉人员「{user}」不属于所选部门「{department}」。",
    "commission_unknown": "所选代办委托不存在或您无权查看。",
    "content_required": "请填写投诉内容。",
    "received_future": "收到时间不能晚于当前时间。",
    "handler_required": "请选择核查人。",
    "handler_invalid": "核查人应为管辖该投诉的中心管理员或督查人员。",
    "handler_subject": "核查人不能是被投诉人本人。",
    "handler_same": "该投诉已由{handler}核查。",
    "handling_required": "请填写核查情况。",
    "finding_invalid": "请选择核查结论（属实、部分属实或不属实）。",
    "result_required": "请填写处理结果及对投诉人的答复。",
}

#: The history lines of a complaint.
COMPLAINT_HISTORY = {
    "registered": "经{channel}收到（{category}）。",
    "backfilled": "补录：收到时间 {at:%Y-%m-%d %H:%M}，登记时间 {recorded:%Y-%m-%d %H:%M}。",
    "due": "办理期限 {due:%Y-%m-%d}（{days} 个工作日）。",
    "no_policy": "所在区划未设定投诉办理时限，未计算办理期限。",
    "assigned": "交由{handler}核查。",
    "concluded": "核查结论：{finding}。",
    "record_created": "已生成问责记录（违规记录）。",
}

ACCOUNTABILITY_MESSAGES = {
    "create_only": "只有督查人员可以作出问责记录。",
    "kind_invalid": "请选择问责类型（违规记录或通报批评）。",
    "source_invalid": "请选择问责来源（投诉查实或督查发现）。",
    "complaint_required": "依据投诉问责时请选择所依据的投诉。",
    "complaint_unknown": "所选投诉不存在或您无权查看。",
    "complaint_not_substantiated": "所选投诉尚未办结，或核查结论不是属实、部分属实，不能据此问责。",
    "complaint_with_supervision": "督查发现的问责不关联投诉；依据投诉问责请选择来源「投诉查实」。",
    "category_invalid": "请选择违规行为。",
    "subject_required": "请选择责任人员或责任部门。",
    "number_required": "通报批评须填写文号。",
    "number_taken": "文号「{number}」已被其他通报批评使用。",
    "facts_required": "请填写违规事实。",
    "decision_required": "请填写处理决定。",
    "occurred_future": "发生日期不能晚于今天。",
    "document_unavailable": "只有通报批评可以生成通报文书。",
    "not_found": "未找到该问责记录。",
}
# --- end complaints and accountability ---

# --- ratings, rectifications, follow-up visits ---
from .ratings_messages import HISTORY as RATING_HISTORY  # noqa: E402, F401
from .ratings_messages import MESSAGES as RATING_MESSAGES  # noqa: E402, F401

# --- end ratings, rectifications, follow-up visits ---
