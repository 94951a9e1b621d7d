"""The public service guide (办事指南) words its conditions: no attribute key, no condition
operator and no internal rule number (R01–R40) on any published item's page."""

import re

import pytest

from bangban.catalog.selectors import item_list_published
from bangban.rules.attributes import ATTRIBUTES

pytestmark = pytest.mark.django_db

KEY_RE = re.compile(r"\b(" + "|".join(sorted(ATTRIBUTES, key=len, reverse=True)) + r")\b")
RULE_RE = re.compile(r"\bR\d\d[a-z]?\b")


def test_every_public_item_page_shows_conditions_in_words(client):
    codes = list(item_list_published().values_list("code", flat=True))
    assert len(codes) >= 60
    for code in codes:
        response = client.get(f"/catalog/items/{code}/")
        assert response.status_code == 200, code
        text = response.content.decode()
        assert not KEY_RE.findall(text), (code, KEY_RE.findall(text))
        assert not RULE_RE.findall(text), (code, RULE_RE.findall(text))
        assert "startswith" not in text and "待核实" not in text, code


def test_the_guide_words_the_condition_of_an_item(client):
    text = client.get("/catalog/items/DS15/").content.decode()
    assert "<dt>适用情形</dt><dd>总建筑面积大于 0 平方米</dd>" in text
    text = client.get("/catalog/items/DS13/").content.decode()
    assert "<dt>适用情形</dt><dd>用地方式为出让或划拨</dd>" in text
    # the filter the template uses: an empty condition (every project) and a broken one
    from bangban.catalog.templatetags.catalog_tags import condition_words

    assert condition_words("") == "所有投资项目"
    assert condition_words("building_area_m2 >") == "以办理部门公布的办事指南为准"


def test_the_catalog_list_shows_no_key_or_rule_number(client):
    text = client.get("/catalog/").content.decode()
    assert not KEY_RE.findall(text) and not RULE_RE.findall(text)
