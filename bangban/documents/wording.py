"""The fixed Chinese wording of the forms: titles, labels and clauses (no Django import).

Kept apart from the layout code in :mod:`bangban.documents.renderers` so the text can be read,
reviewed and changed in one place. The clauses follow the seed policies: free service and
代办不包办 / 不改变审批法律关系 (Baotou), the six forbidden behaviours (Ordos) and the
控制事项明确答复制 (Dongsheng).
"""

from __future__ import annotations

from bangban.documents.data import (
    ApplicationChannel,
    RefusalDecision,
    SatisfactionLevel,
    TerminationReason,
)

DEFAULT_TITLE_PREFIX = "代办帮办"

CHANNEL_LABELS: dict[ApplicationChannel, str] = {
    ApplicationChannel.ONLINE: "企业网上申请",
    ApplicationChannel.WINDOW: "窗口受理",
    ApplicationChannel.HOTLINE: "热线咨询转办",
    ApplicationChannel.SPONSOR: "招引单位推送",
}

DECISION_LABELS: dict[RefusalDecision, str] = {
    RefusalDecision.SERVICE: "不予办理代办帮办服务",
    RefusalDecision.ACCEPTANCE: "不予受理",
}

TERMINATION_LABELS: dict[TerminationReason, str] = {
    TerminationReason.LAW_OR_POLICY: "与法律政策冲突",
    TerminationReason.CONDITIONS_LOST: "不再具备条件",
    TerminationReason.INVESTOR_REQUEST: "投资者要求",
}

SATISFACTION_LABELS: dict[SatisfactionLevel, str] = {
    SatisfactionLevel.VERY_SATISFIED: "非常满意",
    SatisfactionLevel.SATISFIED: "满意",
    SatisfactionLevel.BASICALLY_SATISFIED: "基本满意",
    SatisfactionLevel.DISSATISFIED: "不满意",
    SatisfactionLevel.VERY_DISSATISFIED: "非常不满意",
}

DEFAULT_ASPECTS = ("服务态度", "办事效率", "业务能力", "一次性告知", "进展反馈", "廉洁自律")

FULL_SCOPE = "全程代办"
PARTIAL_SCOPE = "部分代办"
FULL_SCOPE_TEXT = (
    "项目从公司注册、项目立项、用地规划、工程建设许可、施工许可至竣工验收所涉及的"
    "全部行政审批事项（具体事项以代办帮办方案为准）"
)

APPLICATION_DECLARATION = "本单位自愿申请上述代办帮办服务，所填信息真实、准确。"

# --- 授权委托书 ----------------------------------------------------------------------------

AUTHORIZATION_POWERS = (
    "代为咨询审批政策、办事流程和申报要求，代为领取、填写申报表单；",
    "代为向有关审批部门报送申请材料，按审批部门要求补齐、补正材料；",
    "跟踪审批进程，协调有关部门并联办理，及时向委托方反馈办理进展；",
    "代为领取审批结果，并一次性完整移交委托方。",
)

AUTHORIZATION_LIMITS = (
    "代办不包办、服务不揽责。委托方对所提交申请材料的真实性、合法性、有效性负责；"
    "须由委托方签字、盖章的申请文书由委托方自行签署，受托方不得代为签字、盖章，"
    "不得代委托方作出承诺、放弃权利或者签订合同。",
    "委托不改变审批事项的法律关系。委托方仍是各审批事项的申请人，审批部门依法作出的"
    "决定由委托方承受，相应法律责任不因委托而转移。",
    "代办帮办服务一律免费。除法律法规明确规定由委托方交纳的费用外，受托方不收取任何费用；"
    "委托方自主选择中介技术服务机构的，服务费用由委托方与该机构自行约定。",
    "受托方对委托方提供的文件、技术资料和商业秘密负有保密义务，仅用于本委托事项，"
    "未经委托方同意不得向第三方提供。",
    "受托方不得将委托事项转委托他人；区外事项确需交由专业跑腿服务机构办理的，应事先告知委托方。",
)

AUTHORIZATION_CHANGE = (
    "委托期限内，委托方可以书面撤回委托或者调整委托范围。项目与法律政策冲突、不再具备办理条件"
    "或者委托方要求终止的，由双方签订《终止单》终止代办帮办服务。"
)

AUTHORIZATION_COPIES = "本委托书一式两份，委托方、受托方各执一份，自双方签字（盖章）之日起生效。"

ONLINE_CHANNEL_DEFAULT = "网上服务平台"

# --- 服务承诺书 ----------------------------------------------------------------------------

ENTERPRISE_COMMITMENTS = (
    "所提交的申请材料真实、完整、有效，复印件与原件一致，并对材料的真实性承担法律责任。",
    "对容缺受理的材料，在约定期限前补齐补正；逾期未补齐的，愿意承担审批中止、不予批准等后果。",
    "指定专人与代办帮办员对接，按要求及时提供材料、签署申请文书、交纳法定费用，"
    "参加项目碰头会、现场踏勘等活动，积极配合代办帮办工作。",
    "依法依规开展项目建设，不以代办帮办为由要求降低审批标准或者违规办理。",
    "如实评价代办帮办服务，发现服务中的问题及时向服务中心反映。",
)

CENTRE_COMMITMENTS = (
    ("免费服务", "除法律法规明确规定由项目单位交纳的费用外，代办帮办服务一律免费。"),
    (
        "一次性告知",
        "一次性告知项目需办理的审批事项、申报材料、办理流程和时限，不让项目单位多跑路。",
    ),
    ("限时办结", "即办件当场办结，承诺件在承诺时限内办结，上报件及时报送、跟踪办结。"),
    (
        "进展反馈",
        "及时向项目单位反馈各事项受理、补正、审批等办理进展，审批结果一次性完整移交。",
    ),
    ("保守秘密", "对项目单位的文件、技术资料和商业秘密严格保密，仅用于代办帮办事项。"),
)

#: The six forbidden behaviours (Ordos implementation plan), with the complaint category names.
FORBIDDEN_BEHAVIOURS = (
    ("推诿拖延", "不推诿、不拖延委托办理的事项，不借口研究、请示而超过承诺期限办理"),
    ("态度恶劣", "不态度恶劣、语言生硬，不斥责或者讥讽服务对象"),
    ("吃拿卡要", "不利用职权吃拿卡要，不以任何变相手段从项目单位获得好处"),
    ("泄露商业秘密", "未经项目单位允许，不将企业的文件、技术资料和商业秘密泄露给第三方"),
    ("非法使用企业资料", "不非法使用企业的文件、技术资料和商业秘密"),
    ("损害企业声誉利益", "不进行任何有损于委托企业声誉和利益的活动"),
)

#: The notice of criticism (通报批评).
CRITICISM_TITLE = "关于对{subject}的通报批评"
CRITICISM_ADDRESSEES = "各部门、各代办帮办员"
CRITICISM_COMPLAINT = "根据{complaint}，经核查，"
CRITICISM_VIOLATES = "上述行为违反了{basis}中代办帮办员“{rule}”的要求。"
CRITICISM_VIOLATES_OTHER = "上述行为违反了{basis}。"
CRITICISM_DEFAULT_BASIS = "代办帮办工作纪律"
CRITICISM_DECISION = "为严肃工作纪律，经研究，决定：{decision}"
CRITICISM_CLOSING = (
    "各部门、各代办帮办员要引以为戒，严格遵守代办帮办工作纪律，主动服务、限时办结，"
    "切实维护项目单位的合法权益。"
)

CENTRE_INTEGRITY = "廉洁规范"
CENTRE_INTEGRITY_TEXT = "代办帮办员杜绝以下六类行为："
CENTRE_SUPERVISION = "接受监督"
CENTRE_SUPERVISION_TEXT = "项目单位对代办帮办服务不满意的，可以拨打监督投诉电话{phone}反映。"
CENTRE_SUPERVISION_NO_PHONE = "项目单位对代办帮办服务不满意的，可以向服务中心反映。"

COMMITMENT_COPIES = "本承诺书一式两份，项目单位、服务中心各执一份，自双方签字（盖章）之日起生效。"

# --- 不予办理告知书 ------------------------------------------------------------------------

REFUSAL_CLOSING = "特此告知。"

REFUSAL_SERVICE_CONCLUSION = (
    "根据{basis}，按照代办帮办“控制事项明确答复制”，本单位决定对该项目不予办理代办帮办服务。"
)
REFUSAL_ACCEPTANCE_CONCLUSION = "根据{basis}，本机关决定对该申请不予受理。"

REFUSAL_SERVICE_REVIEW = (
    "如对本告知有异议，可以{within}向{review_body}申请复核，并提交相关说明材料。"
)
REFUSAL_SERVICE_REVIEW_WITHIN = "自收到本告知书之日起{days}个工作日内"
REFUSAL_SERVICE_NOT_A_LICENCE = (
    "本告知书是对代办帮办服务申请的答复，不是行政许可决定，不影响你单位依法直接向有关审批部门"
    "提出申请的权利；有关审批部门依法作出不予受理、不予许可等决定的，你单位可以依法申请行政复议"
    "或者提起行政诉讼。"
)
REFUSAL_ACCEPTANCE_REMEDY = (
    "如不服本决定，可以自收到本告知书之日起六十日内向{reconsideration_body}申请行政复议，"
    "也可以自收到本告知书之日起六个月内向{court}提起行政诉讼。"
)

# --- 办结单 --------------------------------------------------------------------------------

COMPLETION_STATEMENT = (
    "受托方已按照授权委托书完成下列代办帮办事项，审批结果已一次性完整移交项目单位，"
    "申请材料原件已返还。"
)
COMPLETION_CONFIRM = "上述事项已办结，结果文书和返还材料已全部收到。"
COMPLETION_EVALUATE = (
    "请项目单位对本次代办帮办服务进行评价（填写《服务评价表》或通过网上“好差评”评价）。"
)

# --- 终止单 --------------------------------------------------------------------------------

TERMINATION_EFFECT = (
    "终止后，受托方不再代为办理上述未办结事项；已取得的审批结果继续有效，已移交的材料由项目单位"
    "保管；项目单位可以自行办理，或者在具备条件后重新申请代办帮办服务。"
)

# --- 评价表 --------------------------------------------------------------------------------

EVALUATION_INSTRUCTION = "请在对应等级的方框内划“√”。"
EVALUATION_BAD_RATING = (
    "评价为“不满意”或“非常不满意”的，请在意见栏写明具体事项，服务中心将核实、整改并回访。"
)

# --- 专业跑腿任务单 ------------------------------------------------------------------------

TASK_ORDER_RULES = (
    "承接单位应在完成时限前办结，及时反馈办理进展；遇到问题当日报告派单单位。",
    "对项目单位的材料和商业秘密严格保密，仅用于本任务，办结后交回全部材料。",
    "不得向项目单位收取任何费用（法定费用由项目单位自行交纳）。",
    "不得改变申请事项内容，不得代项目单位作出承诺。",
)
