"""Edges of the API every client meets: ids it sends, paths no route matches."""

import pytest

from bangban.common.ids import MAX_ID, as_id


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("42", 42),
        (" 7 ", 7),
        (42, 42),
        (str(2**63 - 1), 2**63 - 1),
        (str(2**63), None),  # past a 64-bit key: no database can hold it
        ("0", None),
        ("-3", None),
        ("1e3", None),
        ("４２", None),  # full-width digits are digits to str.isdigit, not an id
        ("", None),
        (None, None),
    ],
)
def test_as_id(value, expected):
    assert as_id(value) == expected
    assert MAX_ID == 9223372036854775807


@pytest.mark.django_db
def test_unmatched_api_path_answers_json_404(client):
    response = client.get("/api/v1/cases/-1/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到。"}


@pytest.mark.django_db
def test_unmatched_page_path_answers_html_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_overflowing_ledger_filter_is_ignored_not_500(client):
    from tests.projects.factories import AgentFactory

    client.force_login(AgentFactory())
    response = client.get("/api/v1/cases/", {"commission": str(2**70), "department": "9" * 30})
    assert response.status_code == 200
    assert response.json()["count"] == 0
