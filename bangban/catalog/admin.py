"""Catalog administration: versions (draft → published), items of the draft, Excel
import/export. Published and superseded versions are read-only."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse

from bangban.common.admin import ScopedAdminMixin
from bangban.rules.conditions import ConditionError, compile_condition
from bangban.rules.graph import find_cycle

from .models import CatalogVersion, Item, ItemKind, ItemTier, Material, Prerequisite
from .services import (
    catalog_draft_get_or_create,
    catalog_export_workbook,
    catalog_import_workbook,
    catalog_version_publish,
)
from .specs import CatalogValidationError, max_promised_days


class ImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError("文件不能超过 10 MB。")
        return upload


@admin.register(CatalogVersion)
class CatalogVersionAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True  # the national catalog: platform operators edit it, others view
    list_display = ("number", "status", "item_count", "source", "created_at", "published_at")
    readonly_fields = (
        "number",
        "status",
        "source",
        "digest",
        "created_at",
        "published_at",
        "created_by",
    )
    fields = (
        "number",
        "status",
        "note",
        "source",
        "digest",
        "created_at",
        "published_at",
        "created_by",
    )
    actions = ["publish"]
    change_list_template = "admin/catalog/catalogversion/change_list.html"

    def item_count(self, obj):
        return obj.items.count()

    item_count.short_description = "事项数"

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return (
            obj is not None
            and obj.status == CatalogVersion.Status.DRAFT
            and request.user.is_superuser
        )

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_catalogversion_import",
            ),
            path(
                "<int:pk>/export/",
                self.admin_site.admin_view(self.export_view),
                name="catalog_catalogversion_export",
            ),
            path(
                "draft/",
                self.admin_site.admin_view(self.draft_view),
                name="catalog_catalogversion_draft",
            ),
        ] + super().get_urls()

    @admin.action(description="发布所选草稿版本")
    def publish(self, request, queryset):
        for version in queryset:
            try:
                catalog_version_publish(version=version, user=request.user)
            except CatalogValidationError as exc:
                self.message_user(
                    request,
                    f"{version} 未发布：" + "；".join(str(e) for e in exc.errors[:20]),
                    messages.ERROR,
                )
            else:
                self.message_user(request, f"已发布 {version}。", messages.SUCCESS)

    def draft_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        draft = catalog_draft_get_or_create(user=request.user)
        self.message_user(request, f"请在{draft}中编辑事项，完成后发布。", messages.INFO)
        return redirect(
            reverse("admin:catalog_item_changelist") + f"?version__id__exact={draft.pk}"
        )

    def export_view(self, request, pk):
        version = CatalogVersion.objects.filter(pk=pk).first()
        if version is None:
            self.message_user(request, "版本不存在。", messages.ERROR)
            return redirect("admin:catalog_catalogversion_changelist")
        response = HttpResponse(
            catalog_export_workbook(version=version),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="catalog-v{version.number}.xlsx"'
        return response

    def import_view(self, request):
        if not self.has_change_permission(request):
            return redirect("admin:index")
        errors = []
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                draft = catalog_import_workbook(
                    content=upload.read(), filename=upload.name, user=request.user
                )
            except CatalogValidationError as exc:
                errors = [str(e) for e in exc.errors]
            else:
                self.message_user(
                    request,
                    f"已导入到{draft}：{draft.items.count()} 个事项。核对后请发布。",
                    messages.SUCCESS,
                )
                return redirect("admin:catalog_catalogversion_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "errors": errors,
            "title": "导入事项清单（Excel）",
            "opts": self.model._meta,
        }
        return render(request, "admin/catalog/catalogversion/import.html", context)


class MaterialInline(admin.TabularInline):
    model = Material
    extra = 0
    fields = ("name", "form", "copies", "is_core", "note", "sort_order")


class ConditionAndLimitsForm(forms.ModelForm):
    """What an item and a tier both check: the condition compiles, and the promised limit
    stays within the legal one."""

    def clean_condition(self):
        text = (self.cleaned_data.get("condition") or "").strip()
        if text:
            try:
                compile_condition(text)
            except ConditionError as exc:
                raise ValidationError(f"适用条件有误：{exc}") from exc
        return text

    def clean(self):
        data = super().clean()
        legal, unit, promised = (
            data.get("legal_limit_days"),
            data.get("legal_limit_unit"),
            data.get("promised_limit_days"),
        )
        ceiling = max_promised_days(legal, unit) if legal is not None and unit else None
        if ceiling is not None and promised is not None and promised > ceiling:
            self.add_error(
                "promised_limit_days", f"承诺时限不能超过法定时限（最多 {ceiling} 个工作日）。"
            )
        return data


class ItemTierForm(ConditionAndLimitsForm):
    class Meta:
        model = ItemTier
        fields = "__all__"  # noqa: DJ007 - the inline's fields choose what is shown

    def clean(self):
        data = super().clean()
        if data.get("kind") == ItemKind.IMMEDIATE and data.get("promised_limit_days"):
            self.add_error("promised_limit_days", "即办件当场办结，承诺时限应为 0。")
        return data


class ItemTierInline(admin.StackedInline):
    """分级情形: tried in order; the first whose condition holds gives the level, department,
    limits and mode of the item for a project."""

    model = ItemTier
    form = ItemTierForm
    extra = 0
    autocomplete_fields = ("department",)
    fields = (
        ("label", "sort_order"),
        "condition",
        "basis",
        ("domain", "department", "handling_level", "authority"),
        ("kind", "service_mode"),
        ("legal_limit_days", "legal_limit_unit", "promised_limit_days", "preparation_days"),
    )


class PrerequisiteFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        item = self.instance
        if item.pk is None or item.version_id is None:
            return
        kept = set()
        for form in self.forms:
            data = getattr(form, "cleaned_data", None) or {}
            if data.get("required") and not data.get("DELETE"):
                required = data["required"]
                if required.version_id != item.version_id:
                    raise ValidationError(f"前置事项 {required.code} 不属于同一版本。")
                if required.pk == item.pk:
                    raise ValidationError("事项不能以自身为前置。")
                kept.add(required.code)
        edges = [
            (req, code)
            for code, req in Prerequisite.objects.filter(item__version_id=item.version_id)
            .exclude(item=item)
            .values_list("item__code", "required__code")
        ]
        edges += [(code, item.code) for code in kept]
        cycle = find_cycle(edges)
        if cycle:
            raise ValidationError("前置事项存在循环：" + " → ".join(cycle) + "。")


class PrerequisiteInline(admin.TabularInline):
    model = Prerequisite
    fk_name = "item"
    formset = PrerequisiteFormSet
    extra = 0
    autocomplete_fields = ("required",)


class ItemAdminForm(ConditionAndLimitsForm):
    class Meta:
        model = Item
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose what is shown

    def clean_aliases(self):
        """A list of names, each no longer than the item's name may be."""
        aliases = self.cleaned_data.get("aliases") or []
        limit = Item._meta.get_field("name").max_length
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise ValidationError('其他名称应为名称的列表，如 ["施工许可"]。')
        too_long = [a for a in aliases if len(a) > limit]
        if too_long:
            raise ValidationError(
                f"每个名称最多 {limit} 个字符（「{too_long[0][:20]}…」有 {len(too_long[0])} 个）。"
            )
        return aliases


@admin.register(Item)
class ItemAdmin(ScopedAdminMixin, admin.ModelAdmin):
    platform_wide = True
    form = ItemAdminForm
    list_display = (
        "code",
        "name",
        "stage",
        "department",
        "kind",
        "promised_limit_days",
        "legal_limit_days",
        "service_mode",
        "version",
    )
    list_filter = ("version", "stage", "service_mode", "kind", "domain")
    search_fields = ("code", "name")
    list_select_related = ("department", "version")
    autocomplete_fields = ("department",)
    inlines = [MaterialInline, PrerequisiteInline, ItemTierInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "version",
                    "code",
                    "name",
                    "aliases",
                    "stage",
                    "domain",
                    "department",
                    "handling_level",
                    "authority",
                    "kind",
                    "service_mode",
                )
            },
        ),
        (
            "时限",
            {
                "fields": (
                    "legal_limit_days",
                    "legal_limit_unit",
                    "promised_limit_days",
                    "preparation_days",
                    "estimated_fields",
                )
            },
        ),
        (
            "受理方式",
            {"fields": ("accept_with_gaps", "gap_supplement_days", "notify_commit", "fees")},
        ),
        (
            "依据与适用条件",
            {
                "fields": (
                    "legal_basis",
                    "condition",
                    "condition_basis",
                    "seed_ref",
                    "value_sources",
                    "notes",
                    "sort_order",
                )
            },
        ),
    )

    def _editable(self, obj) -> bool:
        return obj is None or obj.version.status == CatalogVersion.Status.DRAFT

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self._editable(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self._editable(obj))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "version":
            kwargs["queryset"] = CatalogVersion.objects.filter(status=CatalogVersion.Status.DRAFT)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
