"""Admin: versions of the policy catalog (Excel import and export), the entries of the current
version edited here; eligibility checks are read-only history."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.http import content_disposition_header

from bangban.common.admin import ScopedAdminMixin
from bangban.common.fields import FORM_MESSAGES
from bangban.rules import screening

from .models import EligibilityCheck, EligibilityMatch, PolicyEntry, PolicyVersion
from .selectors import policy_version_current
from .services import (
    official_totals_for,
    policy_version_export,
    policy_version_import,
    policy_version_make_current,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class PolicyImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    source = forms.CharField(
        label="目录文件名称", max_length=200, help_text="如《产业结构调整指导目录（2024年本）》"
    )
    source_date = forms.DateField(label="目录日期（发布或施行）", help_text="YYYY-MM-DD")
    encourage = forms.IntegerField(label="鼓励类官方条目数", required=False, min_value=0)
    restrict = forms.IntegerField(label="限制类官方条目数", required=False, min_value=0)
    eliminate = forms.IntegerField(label="淘汰类官方条目数", required=False, min_value=0)
    note = forms.CharField(
        label="版本说明",
        required=False,
        max_length=1000,
        error_messages=FORM_MESSAGES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError("文件不能超过 10 MB。")
        return upload

    def totals(self) -> dict[str, int] | None:
        """The totals typed in (all three), or None to take the catalogs file's."""
        given = {name: self.cleaned_data.get(name) for name in screening.COUNTED_CLASSES}
        if all(value is None for value in given.values()):
            return None
        if any(value is None for value in given.values()):
            raise ValidationError("官方条目总数请三类都填写，或都不填（取已登记的总数）。")
        return given


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True  # the policy catalog: platform operators import it, others view
    list_display = [
        "id",
        "source",
        "source_date",
        "origin",
        "is_current",
        "coverage_text",
        "created_at",
        "created_by",
    ]
    list_filter = ["origin", "is_current"]
    fields = [
        "source",
        "source_date",
        "origin",
        "file_name",
        "official_totals",
        "coverage_text",
        "is_current",
        "note",
        "created_at",
        "created_by",
    ]
    readonly_fields = fields
    actions = ["make_current"]
    change_list_template = "admin/eligibility/policyversion/change_list.html"

    @admin.display(description="已导入/官方总数")
    def coverage_text(self, obj):
        coverage = obj.coverage()
        parts = [
            f"{screening.CLASSES[name]} {coverage.held.get(name, 0)}/{total}"
            for name, total in coverage.totals.items()
        ]
        state = "完整" if coverage.complete else "未完整"
        return f"{'；'.join(parts)}；地方 {coverage.regional}（{state}）"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="eligibility_policyversion_import",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="eligibility_policyversion_export",
            ),
        ] + super().get_urls()

    @admin.action(description="设为当前版本（核实读取该版本）")
    def make_current(self, request, queryset):
        if not self.has_change_permission(request):
            self.message_user(request, "您没有修改产业政策目录的权限。", messages.ERROR)
            return
        if queryset.count() != 1:
            self.message_user(request, "请只选择一个版本。", messages.ERROR)
            return
        version = policy_version_make_current(version=queryset.get())
        self.message_user(request, f"已将{version}设为当前版本。", messages.SUCCESS)

    def export_view(self, request, pk):
        if not self.has_view_permission(request):
            return redirect("admin:index")
        version = PolicyVersion.objects.filter(pk=pk).first()
        if version is None:
            self.message_user(request, "版本不存在。", messages.ERROR)
            return redirect("admin:eligibility_policyversion_changelist")
        response = HttpResponse(policy_version_export(version=version), content_type=XLSX)
        response["Content-Disposition"] = content_disposition_header(
            True, f"产业政策条目-第{version.pk}版.xlsx"
        )
        return response

    def import_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        current = policy_version_current()
        initial = {}
        if current is not None:
            initial = {"source": current.source, "source_date": current.source_date}
        form = PolicyImportForm(request.POST or None, request.FILES or None, initial=initial)
        errors: list[str] = []
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                version = policy_version_import(
                    content=upload.read(),
                    file_name=upload.name,
                    source=form.cleaned_data["source"],
                    source_date=form.cleaned_data["source_date"],
                    totals=form.totals(),
                    note=form.cleaned_data.get("note", ""),
                    user=request.user,
                )
            except ValidationError as exc:
                errors = list(exc.messages)
            else:
                self.message_user(
                    request,
                    f"已导入为{version}并设为当前版本：{self.coverage_text(version)}。",
                    messages.SUCCESS,
                )
                return redirect("admin:eligibility_policyversion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": "导入产业政策条目（Excel）",
            "opts": self.model._meta,
            "known_totals": official_totals_for(initial.get("source", "")),
        }
        return render(request, "admin/eligibility/policyversion/import.html", context)


class PolicyEntryForm(forms.ModelForm):
    class Meta:
        model = PolicyEntry
        fields = [  # the admin's fieldsets decide what is shown; never the version
            "key",
            "layer",
            "policy_class",
            "section",
            "catalog_number",
            "text",
            "industry_codes",
            "keywords",
            "region_keys",
            "qualifier",
            "applies_to",
            "condition",
            "source",
            "source_date",
            "note",
            "is_active",
            "sort_order",
        ]

    def clean(self):
        cleaned = super().clean()
        key = cleaned.get("key")
        if self.instance.pk is None and key:
            current = policy_version_current()
            if current is None:
                raise ValidationError("尚未载入产业政策目录，请先导入。")
            if current.entries.filter(key=key).exists():
                self.add_error("key", "当前版本中已有该标识的条目。")
        return cleaned


@admin.register(PolicyEntry)
class PolicyEntryAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True  # the policy catalog: platform operators edit it, others view
    form = PolicyEntryForm
    list_display = [
        "key",
        "version",
        "layer",
        "policy_class",
        "section",
        "short_text",
        "industry_codes",
        "applies_to",
        "condition",
        "source_date",
        "is_active",
    ]
    list_filter = [
        "version__is_current",
        "layer",
        "policy_class",
        "applies_to",
        "condition",
        "verified",
        "is_active",
        "version",
    ]
    search_fields = [
        "key",
        "text",
        "section",
        "catalog_number",
        "keywords",
        "industry_codes",
        "source",
        "note",
    ]
    readonly_fields = ["created_at", "updated_at"]
    list_select_related = ["version"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "key",
                    "layer",
                    "policy_class",
                    "section",
                    "catalog_number",
                    "text",
                    "is_active",
                ]
            },
        ),
        (
            "命中规则",
            {
                "fields": [
                    "industry_codes",
                    "keywords",
                    "region_keys",
                    "applies_to",
                    "condition",
                    "qualifier",
                ]
            },
        ),
        ("来源", {"fields": ["source", "source_date", "note", "verified", "sort_order"]}),
        ("记录", {"fields": ["created_at", "updated_at"]}),
    ]

    @admin.display(description="条目内容")
    def short_text(self, obj):
        return obj.text if len(obj.text) <= 40 else obj.text[:40] + "…"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return ["key", *fields] if obj is not None else fields

    def has_change_permission(self, request, obj=None):
        """Entries of earlier versions are the record of what was imported: read-only."""
        if obj is not None and not obj.version.is_current:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        if obj.version_id is None:
            obj.version = policy_version_current()
        super().save_model(request, obj, form, change)


class EligibilityMatchInline(admin.TabularInline):
    model = EligibilityMatch
    fields = [
        "position",
        "layer",
        "policy_class",
        "text",
        "source",
        "matched_by",
        "effect",
        "not_applicable_reason",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EligibilityCheck)
class EligibilityCheckAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = [
        "project",
        "outcome",
        "industry_code",
        "is_new_capacity",
        "checked_at",
        "checked_by",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["outcome", "is_new_capacity", "in_industrial_park", "below_energy_benchmark"]
    search_fields = ["project__name", "project__enterprise__name", "industry_code"]
    list_select_related = ["project", "checked_by", "decided_by"]
    date_hierarchy = "checked_at"
    inlines = [EligibilityMatchInline]
    fields = [
        "project",
        "industry_code",
        "is_new_capacity",
        "below_energy_benchmark",
        "in_industrial_park",
        "outcome",
        "explanation",
        "checked_at",
        "checked_by",
        "decided_by",
        "decided_at",
        "decision_reason",
        "conditions",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
