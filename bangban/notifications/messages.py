"""The Chinese the outbox shows (reasons a message is not sent, admin wording) — no Django import."""

from __future__ import annotations

#: Why a message is not sent (kept in the row's `last_error`; these rows are not retried).
SKIPPED = {
    "no_email": "接收人无电子邮箱",
    "email_refused": "邮件服务器拒收地址 {email}",
    "no_mobile": "接收人无手机号码",
    "department_email": "接收部门无电子邮箱，部门消息只在站内送达",
    "department_sms": "接收部门无手机号码，部门消息只在站内送达",
    "no_sender": "该渠道未配置发送方式",
}

#: The last line of every e-mail.
EMAIL_FOOTER = "——此邮件由帮办平台自动发送，请勿直接回复。"

#: What the admin and the command say.
ADMIN = {
    "retry_action": "立即重试",
    "retried": "已安排立即重试 {count} 条消息。",
    "none_to_retry": "所选消息均已发送，无需重试。",
    "delivered": "本次发出 {sent} 条消息；待发送 {queued} 条，发送失败 {failed} 条。",
}
