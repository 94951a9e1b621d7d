"""The demo of complaints and accountability (SPEC §7, issue #13 items 3, 9), in 东胜区:

* a 12345 complaint about 李代办 (agent2) for 推诿拖延, received two weeks ago and typed in
  today (补录), handed to the supervisor, concluded 属实 — so it created a violation record —
  and a notice of criticism (通报批评) citing it, downloadable as Word;
* a mailbox complaint about 东胜区住房和城乡建设局 for 态度恶劣, received a month ago and
  nobody took it: overdue on the list;
* a window complaint about 王帮办 (agent), handed to the centre admin, under verification.

Everything goes through the services; running it again adds nothing (the demo complaints
start with 「演示：」).
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bangban.accounts.models import User
from bangban.evaluation import accountability_services, complaints_services
from bangban.evaluation.models import AccountabilityRecord, Complaint
from bangban.organization.models import Department

MARK = "演示："
NOTICE_NUMBER = "东政服督〔2026〕1号"


def _received(days_ago: int) -> dt.datetime:
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def demo_complaints(users: dict[str, User]) -> list[str]:
    """Returns what it made, one line each (nothing on a rerun)."""
    if Complaint.objects.filter(content__startswith=MARK).exists():
        return []
    admin, supervisor = users["admin"], users["supervisor"]
    late = complaints_services.complaint_register(
        actor=admin,
        channel=Complaint.Channel.HOTLINE_12345,
        category=Complaint.Category.SHIRKING,
        subject_user=users["agent2"],
        complainant="白经理",
        complainant_contact="13804770001",
        content=MARK + "委托办理的环评审批资料准备超过承诺期限一周仍未申报，多次询问无答复。",
        received_at=_received(14),
    )
    late = complaints_services.complaint_assign(
        complaint=late, actor=admin, handler=supervisor, expected_version=late.version
    )
    late = complaints_services.complaint_conclude(
        complaint=late,
        actor=supervisor,
        finding=Complaint.Finding.SUBSTANTIATED,
        handling="调取办件台账和通话记录：环评资料清单于承诺日期后第 6 个工作日才发给企业。",
        result="已责令代办员当日补发资料清单并跟踪申报，已电话答复白经理。",
        expected_version=late.version,
    )
    accountability_services.accountability_record_create(
        actor=supervisor,
        kind=AccountabilityRecord.Kind.CRITICISM,
        source=AccountabilityRecord.Source.COMPLAINT,
        complaint=late.pk,
        number=NOTICE_NUMBER,
        facts="代办员李代办对企业委托的环评事项未按承诺期限办理，企业多次询问未予答复。",
        decision="对李代办予以通报批评，责令其作出书面检查，三个月内不得评为优秀代办帮办员。",
    )
    officer_department = Department.objects.get(key="dongsheng-zjj")
    complaints_services.complaint_register(
        actor=admin,
        channel=Complaint.Channel.MAILBOX,
        category=Complaint.Category.RUDENESS,
        subject_department=officer_department.pk,
        content=MARK + "到住建局窗口咨询施工许可材料，工作人员态度生硬，不予解释。",
        received_at=_received(30),
    )
    window = complaints_services.complaint_register(
        actor=admin,
        channel=Complaint.Channel.WINDOW,
        category=Complaint.Category.OTHER,
        subject_user=users["agent"],
        complainant="韩经理",
        content=MARK + "代办员提供的材料清单与部门要求不一致，企业重复准备了两次。",
    )
    complaints_services.complaint_assign(
        complaint=window, actor=admin, handler=admin, expected_version=window.version
    )
    return [
        "演示投诉：3 件（1 件属实已办结并生成违规记录，1 件超期未交办，1 件核查中）。",
        f"演示问责：通报批评 {NOTICE_NUMBER}（可下载 Word）。",
    ]
