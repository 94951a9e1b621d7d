"""Consultations (咨询) under /api/v1/consultations/: recorded by agents and admins, read in the region subtree."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import services
from ..models import Consultation
from ..selectors import (
    consultation_get_for,
    consultation_list_for,
)
from .refs import PersonRef, ProjectRegionRef, region_by_key

# --- consultations -------------------------------------------------------------------------------


class ConsultationOutput(serializers.Serializer):
    id = serializers.IntegerField()
    channel = serializers.CharField()
    channel_label = serializers.CharField(source="get_channel_display")
    topic = serializers.CharField()
    question = serializers.CharField()
    answer = serializers.CharField()
    enterprise_name = serializers.CharField()
    contact = serializers.CharField()
    region = ProjectRegionRef()
    recorded_by = PersonRef()
    recorded_at = serializers.DateTimeField()
    converted_commission_id = serializers.IntegerField(allow_null=True)


class ConsultationInput(serializers.Serializer):
    channel = serializers.ChoiceField(
        choices=Consultation.Channel.choices,
        error_messages={
            "required": "请选择咨询渠道。",
            "invalid_choice": "咨询渠道应为 hotline_12345、window、phone 或 online。",
        },
    )
    topic = serializers.CharField(max_length=100, error_messages={"required": "请填写咨询主题。"})
    question = serializers.CharField(
        max_length=2000, error_messages={"required": "请填写咨询内容。"}
    )
    answer = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    enterprise_name = serializers.CharField(
        required=False, allow_blank=True, default="", max_length=100
    )
    contact = serializers.CharField(required=False, allow_blank=True, default="", max_length=100)
    region = serializers.CharField(
        max_length=60, required=False, help_text="区划标识；默认为记录人所属区划"
    )


@extend_schema(tags=["consultations"])
class ConsultationListApi(generics.ListAPIView):
    serializer_class = ConsultationOutput

    def get_queryset(self):
        return consultation_list_for(self.request.user)

    @extend_schema(summary="咨询记录（辖区）")
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        summary="登记咨询", request=ConsultationInput, responses={201: ConsultationOutput}
    )
    def post(self, request):
        data = ConsultationInput(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("region"):
            values["region"] = region_by_key(values["region"], "region")
        consultation = services.consultation_record(actor=request.user, **values)
        consultation = consultation_list_for(request.user).get(pk=consultation.pk)
        return Response(ConsultationOutput(consultation).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["consultations"], summary="咨询详情", responses=ConsultationOutput)
class ConsultationDetailApi(APIView):
    def get(self, request, pk: int):
        consultation = consultation_get_for(request.user, pk)
        if consultation is None:
            raise Http404
        return Response(ConsultationOutput(consultation).data)
