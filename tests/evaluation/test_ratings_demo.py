"""The demo world shows after service (bangban/web/demo_after_service.py): a completed
commission waiting for the demo enterprise's rating, and one rated 不满意 whose rectification
the agent has verified, with the return visit scheduled."""

import io

import pytest
from django.core.management import call_command
from django.test import Client

from bangban.accounts.models import User
from bangban.evaluation.models import FollowUpVisit, Rating, Rectification
from bangban.projects.models import Commission

pytestmark = pytest.mark.django_db


def test_demo_data_builds_after_service_once():
    out = io.StringIO()
    call_command("demo_data", stdout=out)
    text = out.getvalue()
    assert "演示回访评价：研发中心配套仓库项目（已办结）。" in text, text
    assert "演示回访评价：社区便民服务网点项目（已办结，项目单位评价不满意，整改中）。" in text
    waiting = Commission.objects.get(project__name="研发中心配套仓库项目")
    assert waiting.state == "completed" and not waiting.ratings.exists()
    assert FollowUpVisit.objects.filter(commission=waiting, state="scheduled").exists()
    rect = Rectification.objects.get()
    assert rect.state == "rectifying" and rect.agent.username == "agent2"
    assert FollowUpVisit.objects.filter(rating=rect.rating, reason="bad_rating").exists()
    assert Rating.objects.count() == 2
    call_command("demo_data", stdout=io.StringIO())
    assert Rating.objects.count() == 2 and Rectification.objects.count() == 1
    # the demo enterprise finds the rating form on its completed commission
    client = Client()
    client.force_login(User.objects.get(username="enterprise"))
    body = client.get(f"/commissions/{waiting.pk}/").content.decode()
    assert 'id="rate-commission"' in body
    client.force_login(User.objects.get(username="agent2"))
    assert "整改中" in client.get("/rectifications/").content.decode()
