"""Every free text has a length limit (issue #12: fields took 5,000,000 characters).

Three generated checks, so a new field joins by itself: every text field of the models of the
apps below has a ``max_length`` (a TextField's is enforced by ``full_clean()`` too); every
string a request body of the API takes (read from the OpenAPI schema) has a ``maxLength``;
every text field of the forms of those apps has a ``max_length``. Then 5,000,000 characters
sent through the API and through a page: 400 (or the form again) in Chinese, nothing saved."""

import importlib
import inspect

import pytest
from django import forms
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator

from bangban.cases.escalations import escalation_raise
from bangban.cases.models import Escalation
from bangban.projects.models import Consultation, Project
from bangban.projects.services import consultation_record
from tests.projects.factories import AgentFactory, CommissionFactory
from tests.projects.test_commission_api import window_payload

pytestmark = pytest.mark.django_db

#: The apps whose models, forms (forms, views and admin modules) and API this check covers.
APPS = [
    "projects",
    "cases",
    "coordination",
    "planning",
    "notifications",
    "catalog",
    "eligibility",
    "workdays",
    "audit",
    "evaluation",
]
#: Text columns left without a limit, and why.
UNLIMITED = {
    # Written by the system (a sentence naming the object and the fields changed; a failed
    # login's user name comes through the login form, 150 characters at most), never taken
    # from a request as such; the record is sealed by the chain as written and never
    # validated (audit_record), so a limit would only be a word in the model.
    "audit.AuditRecord.summary",
}
#: 5 MB: within the request size limit (DATA_UPLOAD_MAX_MEMORY_SIZE, 20 MB; a larger body is
#: refused before any field is read), so it reaches the field's own check.
HUGE = "x" * 5_000_000


def text_fields():
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if (
                    isinstance(field, models.CharField | models.TextField)
                    and field.editable
                    and not field.choices
                ):
                    yield f"{label}.{model.__name__}.{field.name}", field


def test_every_text_field_of_the_models_has_a_limit_the_model_checks():
    fields = dict(text_fields())
    assert "projects.Project.description" in fields and "cases.Escalation.problem" in fields
    assert "catalog.Item.condition" in fields and "eligibility.PolicyEntry.text" in fields
    unlimited = [name for name, field in fields.items() if not field.max_length]
    assert unlimited == sorted(UNLIMITED)
    for name, field in fields.items():
        if name in UNLIMITED:
            continue
        limit = field.max_length
        checks = [v for v in field.validators if isinstance(v, MaxLengthValidator)]
        assert [v.limit_value for v in checks] == [limit], name  # full_clean() checks it
        if isinstance(field, models.TextField):
            checks[0]("字" * limit)  # at the limit: fine
            with pytest.raises(ValidationError) as caught:
                checks[0]("字" * (limit + 1))
            assert caught.value.messages == [f"最多 {limit} 个字符（现有 {limit + 1} 个）。"]


def request_strings_without_limit(node, path: str, found: list[str]) -> None:
    if not isinstance(node, dict) or node.get("readOnly"):
        return
    if (
        node.get("type") == "string"
        and not {"enum", "format", "maxLength"} & node.keys()
        and "$ref" not in node
    ):
        found.append(path)
    for name, child in (node.get("properties") or {}).items():
        request_strings_without_limit(child, f"{path}.{name}", found)
    request_strings_without_limit(node.get("items"), f"{path}[]", found)
    for key in ("allOf", "oneOf", "anyOf"):
        for child in node.get(key, []):
            request_strings_without_limit(child, path, found)


def test_every_string_the_api_takes_has_a_max_length():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    requests = {
        name: node
        for name, node in schema["components"]["schemas"].items()
        if name.endswith("Request")
    }
    assert "ConsultationInputRequest" in requests  # the walk sees the request bodies
    found: list[str] = []
    for name, node in requests.items():
        request_strings_without_limit(node, name, found)
    assert found == []


def test_the_schema_walk_finds_a_string_without_limit():
    found: list[str] = []
    request_strings_without_limit(
        {"properties": {"a": {"type": "string"}, "b": {"type": "string", "maxLength": 9}}},
        "X",
        found,
    )
    assert found == ["X.a"]


def test_every_text_field_of_the_forms_has_a_max_length():
    unlimited = []
    seen = 0
    for label in APPS:
        for module_name in (
            f"bangban.{label}.forms",
            f"bangban.{label}.views",
            f"bangban.{label}.admin",
        ):
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError:
                continue
            for name, form in inspect.getmembers(module, inspect.isclass):
                if not (issubclass(form, forms.BaseForm) and form.__module__ == module_name):
                    continue
                for field_name, field in form.base_fields.items():
                    # a JSON field (the catalog's aliases) holds a list, checked by its form
                    if isinstance(field, forms.CharField) and not isinstance(
                        field, forms.JSONField
                    ):
                        seen += 1
                        if field.max_length is None:
                            unlimited.append(f"{module_name}.{name}.{field_name}")
    assert seen > 10
    assert unlimited == []


# --- 5,000,000 characters -------------------------------------------------------------------


def test_the_api_refuses_five_million_characters_and_saves_nothing(client):
    client.force_login(AgentFactory())
    response = client.post(
        "/api/v1/consultations/",
        {"channel": "hotline_12345", "topic": "施工许可咨询", "question": HUGE},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"question": ["请确保这个字段不能超过 2000 个字符。"]}
    assert not Consultation.objects.exists()


def test_the_api_refuses_an_over_long_project_description(client):
    client.force_login(AgentFactory())
    payload = window_payload()
    payload["project"]["description"] = HUGE
    response = client.post("/api/v1/commissions/", payload, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["project"]["description"] == ["请确保这个字段不能超过 2000 个字符。"]
    assert not Project.objects.exists()


def test_a_page_refuses_five_million_characters_and_saves_nothing(client):
    client.force_login(AgentFactory())
    response = client.post(
        reverse("projects:consultation_list"),
        {"c-channel": "hotline_12345", "c-topic": "用地咨询", "c-question": HUGE},
    )
    assert response.status_code == 200  # the form again, with the message next to the field
    assert "最多 2000 个字符（现有 5000000 个）。" in response.content.decode()
    assert not Consultation.objects.exists()


def test_a_service_refuses_what_a_form_did_not_check():
    """The service validates its model (full_clean): an over-long text from any caller is
    refused in Chinese, not stored."""
    agent = AgentFactory()
    with pytest.raises(ValidationError) as caught:
        consultation_record(
            actor=agent,
            channel=Consultation.Channel.WINDOW,
            topic="咨询",
            question="问" * 2001,
        )
    assert caught.value.message_dict["question"] == ["最多 2000 个字符（现有 2001 个）。"]
    assert not Consultation.objects.exists()


def test_an_escalation_is_refused_not_cut_off(reference_data):
    commission = CommissionFactory()
    agent = commission.agent or AgentFactory()
    with pytest.raises(ValidationError) as caught:
        escalation_raise(commission=commission, actor=agent, problem="难" * 4001)
    assert caught.value.message_dict["problem"] == ["最多 4000 个字符（现有 4001 个）。"]
    assert not Escalation.objects.exists()
