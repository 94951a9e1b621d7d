"""Small outputs the API's endpoints share (references to a region, a person, an enterprise)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from rest_framework import serializers

from bangban.organization.models import Region

# --- small shared outputs --------------------------------------------------------------------


class ProjectRegionRef(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class LeadDepartmentRef(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class PersonRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class AgentRef(PersonRef):
    mobile = serializers.CharField()


class EnterpriseRef(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()


def attributes_output(project) -> dict[str, Any]:
    return project.attributes()


def region_by_key(key: str, field: str) -> Region:
    region = Region.objects.filter(key=str(key)).first()
    if region is None:
        raise ValidationError({field: f"未知的区划：{key}。"})
    return region
