"""Every letter and notice the demo data gives (its commissions' Word forms, the refusal
notice of the calcium-carbide story, each plan's one-time notice) is free of 「待核实」."""

import io

import pytest
from django.core.management import call_command

from bangban.planning.exports import commission_notice_file
from bangban.planning.selectors import commission_plan_for
from bangban.projects.exports import commission_document, documents_for
from bangban.projects.models import Commission
from tests.documents.docx_reading import all_text, open_docx

pytestmark = pytest.mark.django_db


def test_no_demo_letter_or_notice_prints_the_mark():
    call_command("demo_data", stdout=io.StringIO())
    rendered: dict[str, int] = {}
    for commission in Commission.objects.all():
        for kind in documents_for(commission):
            _, content = commission_document(commission, kind.slug)
            text = all_text(open_docx(content))
            assert "待核实" not in text, (commission.number, kind.slug)
            rendered[kind.slug] = rendered.get(kind.slug, 0) + 1
        found = commission_plan_for(commission)
        if found.outcome is not None:
            _, content = commission_notice_file(found)
            assert "待核实" not in all_text(open_docx(content)), commission.number
            rendered["notice"] = rendered.get("notice", 0) + 1
    # the refusal notice rests on unverified entries (the agent checked them) and is printed
    assert rendered.get("refusal", 0) >= 1
    assert rendered.get("notice", 0) >= 1 and rendered.get("application", 0) >= 1
