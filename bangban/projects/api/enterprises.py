"""Enterprises (项目单位) and projects under /api/v1/: scoped lists and details; staff register enterprises."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..messages import ERRORS
from ..selectors import (
    credit_code_warnings_to_confirm,
    enterprise_get_for,
    enterprise_list_for,
    project_get_for,
    project_list_for,
)
from .refs import (
    EnterpriseRef,
    LeadDepartmentRef,
    PersonRef,
    ProjectRegionRef,
    attributes_output,
    region_by_key,
)

# --- enterprises ---------------------------------------------------------------------------------


class EnterpriseOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    credit_code = serializers.CharField()
    legal_representative = serializers.CharField()
    contact_name = serializers.CharField()
    contact_mobile = serializers.CharField()
    address = serializers.CharField()
    region = ProjectRegionRef()
    project_count = serializers.IntegerField()


class EnterpriseInput(serializers.Serializer):
    name = serializers.CharField(max_length=100, error_messages={"required": "请填写企业名称。"})
    credit_code = serializers.CharField(
        max_length=40, error_messages={"required": "请填写统一社会信用代码。"}
    )
    legal_representative = serializers.CharField(
        max_length=40, error_messages={"required": "请填写法定代表人。"}
    )
    contact_name = serializers.CharField(
        max_length=40, error_messages={"required": "请填写联系人。"}
    )
    contact_mobile = serializers.CharField(
        max_length=20, error_messages={"required": "请填写联系人手机号码。"}
    )
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    region = serializers.CharField(
        max_length=60,
        help_text="区划标识（regions 的 key，如 150602、ordos-hitech）",
        error_messages={"required": "请填写所在区划。"},
    )
    credit_code_confirmed = serializers.BooleanField(
        required=False,
        default=False,
        help_text="已核对统一社会信用代码无误：代码第 3–8 位行政区划码不在本系统区划代码表中时"
        "（已撤并县区的旧代码），先答 400 并说明，核对后带上 true 再提交",
    )


def refuse_unconfirmed_credit_code(values: dict, field: str) -> None:
    """A new credit code whose region code is unknown answers 400 naming the warning until the
    client confirms it (``credit_code_confirmed: true``) — the page's checkbox, as a flag.
    Pops the flag from ``values``, which go on to the service."""
    confirmed = values.pop("credit_code_confirmed", False)
    warnings = credit_code_warnings_to_confirm(values.get("credit_code") or "")
    if warnings and not confirmed:
        raise ValidationError(
            {field: [ERRORS["credit_code_confirm_api"].format(warning=w) for w in warnings]}
        )


@extend_schema(tags=["enterprises"])
class EnterpriseListApi(generics.ListAPIView):
    serializer_class = EnterpriseOutput

    def get_queryset(self):
        return enterprise_list_for(self.request.user)

    @extend_schema(summary="可见的企业（项目单位）列表")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="登记企业（窗口工作人员）",
        request=EnterpriseInput,
        responses={201: EnterpriseOutput},
    )
    def post(self, request):
        data = EnterpriseInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        refuse_unconfirmed_credit_code(values, "credit_code")
        values["region"] = region_by_key(values["region"], "region")
        enterprise = services.enterprise_create(actor=request.user, data=values)
        enterprise.project_count = 0
        return Response(EnterpriseOutput(enterprise).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["enterprises"], summary="企业详情", responses=EnterpriseOutput)
class EnterpriseDetailApi(APIView):
    def get(self, request, pk: int):
        enterprise = enterprise_get_for(request.user, pk)
        if enterprise is None:
            raise Http404
        return Response(EnterpriseOutput(enterprise).data)


# --- projects ------------------------------------------------------------------------------------


class CommissionBrief(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    state = serializers.CharField()
    state_label = serializers.CharField()


class ProjectOutput(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    enterprise = EnterpriseRef()
    region = ProjectRegionRef()
    project_code = serializers.CharField()
    description = serializers.CharField()
    sponsor = PersonRef(allow_null=True)
    sponsor_department = LeadDepartmentRef(allow_null=True)
    attributes = serializers.SerializerMethodField()
    commissions = serializers.SerializerMethodField()

    def get_attributes(self, project) -> dict[str, Any]:
        """项目属性（SPEC §4 的属性名）"""
        return attributes_output(project)

    def get_commissions(self, project) -> list[dict]:
        """[{"id", "number", "state", "state_label"}] newest first"""
        return CommissionBrief(project.commissions.all(), many=True).data


@extend_schema(tags=["projects"], summary="可见的项目列表")
class ProjectListApi(generics.ListAPIView):
    serializer_class = ProjectOutput

    def get_queryset(self):
        return project_list_for(self.request.user)


@extend_schema(tags=["projects"], summary="项目详情", responses=ProjectOutput)
class ProjectDetailApi(APIView):
    def get(self, request, pk: int):
        project = project_get_for(request.user, pk)
        if project is None:
            raise Http404
        return Response(ProjectOutput(project).data)
