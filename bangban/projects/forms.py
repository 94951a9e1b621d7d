"""Forms of the intake pages. They convert and check what people type (model validation runs
in the model forms, so a refused form shows every error next to its field); the services
check again and write."""

from __future__ import annotations

from django import forms

from bangban.catalog.models import STAGE_ORDER, Stage
from bangban.catalog.selectors import item_list_published
from bangban.common.fields import FORM_MESSAGES
from bangban.organization.models import Region
from bangban.rules.attributes import ATTRIBUTES

from .messages import ERRORS
from .models import Commission, Consultation, Enterprise, Project
from .selectors import credit_code_warnings_to_confirm, region_has_lead, region_lead_rules
from .services import FIRST_STEP_DOMAIN, application_lead_department

REGION_LEVELS = (Region.Level.COUNTY, Region.Level.ZONE, Region.Level.TOWN)


class RegionChoiceField(forms.ModelChoiceField):
    #: The routing rules that decide where 代办帮办 is offered (None: do not say).
    lead_rules: dict[str, bool] | None = None

    def label_from_instance(self, obj: Region) -> str:
        town = obj.level == Region.Level.TOWN
        if obj.parent_id and (town or obj.parent.level == Region.Level.CITY):
            label = f"{obj.parent.name} · {obj.name}"
        else:
            label = obj.name
        if self.lead_rules is not None and not region_has_lead(obj, self.lead_rules):
            label += NO_SERVICE_SUFFIX
        return label


#: How the region list marks a region without 代办帮办 service.
NO_SERVICE_SUFFIX = "（暂未开通代办帮办服务）"


def region_queryset(within: Region | None = None):
    queryset = Region.objects.filter(level__in=REGION_LEVELS).select_related("parent")
    if within is not None:
        queryset = queryset.filter(path__startswith=within.path)
    return queryset.order_by("path")


class EnterpriseForm(forms.ModelForm):
    """The project unit. For window staff an already registered credit code is not an error:
    the registered enterprise is used as it is."""

    region = RegionChoiceField(queryset=region_queryset(), label="所在区划")

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "credit_code",
            "legal_representative",
            "contact_name",
            "contact_mobile",
            "address",
            "region",
        ]
        widgets = {
            "credit_code": forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
            "contact_mobile": forms.TextInput(attrs={"inputmode": "tel"}),
        }

    #: Shown (as a checkbox) only when the credit code has a warning to confirm.
    confirm_credit_code = forms.BooleanField(
        label="已核对统一社会信用代码无误", required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, reuse_existing: bool = False, **kwargs):
        self.reuse_existing = reuse_existing
        super().__init__(*args, **kwargs)

    def validate_unique(self) -> None:
        if not self.reuse_existing:
            super().validate_unique()

    def clean(self):
        """A new credit code whose region code (positions 3–8) is unknown to the region list
        held is not refused: the person entering it confirms it (GB/T 2260 codes of merged
        or abolished counties live on in older credit codes)."""
        cleaned = super().clean()
        if "credit_code" in self.errors:
            return cleaned
        current = self.instance.credit_code if self.instance.pk else ""
        warnings = credit_code_warnings_to_confirm(cleaned.get("credit_code"), current=current)
        if warnings and not cleaned.get("confirm_credit_code"):
            self.fields["confirm_credit_code"].widget = forms.CheckboxInput()
            for warning in warnings:
                self.add_error(
                    "credit_code", ERRORS["credit_code_confirm_page"].format(warning=warning)
                )
        return cleaned


#: The sections of the project form (SPEC §4), each a list of field names.
PROJECT_SECTIONS: list[tuple[str, list[str]]] = [
    (
        "基本信息",
        [
            "name",
            "region",
            "project_code",
            "investment_type",
            "industry_code",
            "total_investment_wan",
            "unit_registered",
            "is_key_project",
            "energy_project",
            "facility_agriculture",
            "description",
        ],
    ),
    (
        "用地",
        [
            "land_source",
            "land_area_ha",
            "new_construction_land",
            "land_use_change",
            "forest_land_ha",
            "forest_land_temporary",
            "forest_type",
            "grassland_ha",
            "basic_grassland",
        ],
    ),
    (
        "能耗与环评",
        [
            "energy_tce",
            "electricity_wan_kwh",
            "eia_category",
            "water_intake_self",
            "sewer_discharge",
        ],
    ),
    (
        "建设内容",
        [
            "building_area_m2",
            "earthwork_m3",
            "special_construction",
            "simple_low_risk",
            "public_gathering",
            "lightning_protection",
        ],
    ),
    (
        "特殊情形",
        [
            "hazardous_waste_business",
            "gas_business",
            "highway_project",
            "road_works",
            "city_road_dig",
            "pipeline_zone",
            "relic_control_zone",
            "flood_zone",
            "water_project",
            "municipal_facility_change",
            "green_land_use",
        ],
    ),
]


class ProjectForm(forms.ModelForm):
    """The project. Its region must have 代办帮办 service — a department to lead the
    commission (the routing table, ``services.application_lead_department``) or, for a
    sponsor's push, the sponsor's own department: the region list says which have none, and
    choosing one is refused on the field before anything is saved."""

    region = RegionChoiceField(queryset=region_queryset(), label="建设地点（区划）")

    class Meta:
        model = Project
        fields = [name for _, names in PROJECT_SECTIONS for name in names]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args, region_within: Region | None = None, sponsor_department=None, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.sponsor_department = sponsor_department
        if region_within is not None:
            self.fields["region"].queryset = region_queryset(region_within)
        if sponsor_department is None:
            self.fields["region"].lead_rules = region_lead_rules(FIRST_STEP_DOMAIN)
        for name, field in self.fields.items():
            if isinstance(field, forms.DecimalField):
                field.widget.attrs.update({"inputmode": "decimal", "step": "any", "min": "0"})
            if name == "industry_code":
                field.widget.attrs.update({"placeholder": "例如 C2614"})
        if "forest_type" in self.fields:  # only asked when forest land is used
            self.fields["forest_type"].required = False

    def clean_forest_type(self) -> str:
        return self.cleaned_data.get("forest_type") or ATTRIBUTES["forest_type"].neutral

    def clean_region(self):
        region = self.cleaned_data.get("region")
        no_service = (
            region is not None
            and self.sponsor_department is None
            and application_lead_department(region) is None
        )
        if no_service:
            raise forms.ValidationError(ERRORS["no_lead_department"], code="no_service")
        return region

    def sections(self):
        """[(title, [bound fields])] for the template."""
        return [(title, [self[name] for name in names]) for title, names in PROJECT_SECTIONS]


def scope_item_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """The published catalog's items grouped by stage, in stage order: [(stage label,
    [(code, "name（code）")])] — one query."""
    labels = dict(Stage.choices)
    groups: dict[str, list[tuple[str, str]]] = {}
    rows = item_list_published().values_list("code", "name", "stage")
    for code, name, stage in sorted(rows, key=lambda row: STAGE_ORDER.get(row[2], 99)):
        groups.setdefault(stage, []).append((code, f"{name}（{code}）"))
    return [(labels.get(stage, stage), items) for stage, items in groups.items()]


class ItemCodesField(forms.MultipleChoiceField):
    """Items of the catalog by code; every unknown code is named at once."""

    def to_python(self, value):
        return [str(code).strip().upper() for code in super().to_python(value) if str(code).strip()]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        unknown = [code for code in value if not self.valid_value(code)]
        if unknown:
            raise forms.ValidationError(
                ERRORS["scope_items_unknown"].format(codes="、".join(unknown)),
                code="invalid_choice",
            )


class ScopeForm(forms.Form):
    """Full or partial scope; a partial scope picks stages and/or items of the published
    catalog (checkboxes grouped by stage — the API takes the items' codes)."""

    scope = forms.ChoiceField(
        label="委托范围",
        choices=Commission.Scope.choices,
        initial=Commission.Scope.FULL,
        widget=forms.RadioSelect,
    )
    scope_stages = forms.MultipleChoiceField(
        label="委托阶段（部分代办）",
        choices=[(v, label) for v, label in Stage.choices if v != Stage.OTHER],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    scope_items = ItemCodesField(
        label="委托事项（部分代办，可选）",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="从已发布的事项清单中勾选；选择了阶段时，该阶段的事项已全部包含。",
    )
    other_needs = forms.CharField(
        label="其他服务需求",
        required=False,
        max_length=1000,
        error_messages=FORM_MESSAGES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.item_groups_data = scope_item_choices()
        self.fields["scope_items"].choices = self.item_groups_data

    def item_groups(self):
        """[(stage label, [checkbox subwidgets], how many are checked)] for the template."""
        boxes = {box.data["value"]: box for box in self["scope_items"]}
        result = []
        for label, items in self.item_groups_data:
            group = [boxes[code] for code, _ in items if code in boxes]
            checked = sum(1 for box in group if box.data["selected"])
            result.append((label, group, checked))
        return result

    def clean(self):
        data = super().clean()
        if data.get("scope") == Commission.Scope.PARTIAL and not (
            data.get("scope_stages") or data.get("scope_items")
        ):
            self.add_error("scope", "部分代办须至少选择一个阶段或一个事项。")
        if data.get("scope") == Commission.Scope.FULL:
            data["scope_stages"], data["scope_items"] = [], []
        return data


class ConsultationForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["channel", "topic", "question", "answer", "enterprise_name", "contact"]
        widgets = {
            "question": forms.Textarea(attrs={"rows": 3}),
            "answer": forms.Textarea(attrs={"rows": 3}),
        }


class VerifyForm(forms.Form):
    is_new_capacity = forms.TypedChoiceField(
        label="建设性质",
        choices=[("1", "新建或新增产能"), ("0", "现有产能改造升级（不新增产能）")],
        coerce=lambda v: v == "1",
        initial="1",
        widget=forms.RadioSelect,
    )
    below_energy_benchmark = forms.BooleanField(label="能效低于标杆水平", required=False)
    in_industrial_park = forms.BooleanField(label="位于工业园区内", required=False, initial=True)
    entries_checked = forms.BooleanField(
        label="已核对命中条目（命中尚未核对的条目时，须对照官方文本核对条文与来源后勾选）",
        required=False,
    )


class ConfirmEligibilityForm(forms.Form):
    note = forms.CharField(
        label="核对依据",
        max_length=1000,
        help_text="对照的目录文本及所查章节，如“已对照《产业结构调整指导目录（2024年本）》官方文本全文”。",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class AssignForm(forms.Form):
    """Choose the agent: empty takes the pool's least-loaded agent."""

    agent = forms.TypedChoiceField(label="代办帮办员", required=False, coerce=int, empty_value=None)
    reason = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args, agents=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.agents = {agent.pk: agent for agent in agents}
        self.fields["agent"].choices = [("", "按负荷自动推荐")] + [
            (
                agent.pk,
                f"{agent}（{agent.department.name if agent.department_id else ''}，"
                f"在办 {getattr(agent, 'open_count', 0)} 件）",
            )
            for agent in agents
        ]

    def clean_agent(self):
        pk = self.cleaned_data.get("agent")
        return self.agents.get(pk) if pk else None


class TerminateForm(forms.Form):
    reason_category = forms.ChoiceField(
        label="终止原因", choices=Commission.TerminationReason.choices
    )
    note = forms.CharField(
        label="终止说明",
        required=False,
        max_length=1000,
        error_messages=FORM_MESSAGES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label="决定",
        choices=[("1", "同意继续办理"), ("0", "不同意，不予办理")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label="理由",
        required=False,
        max_length=2000,
        error_messages=FORM_MESSAGES,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    conditions = forms.CharField(
        label="办理条件", required=False, max_length=2000, error_messages=FORM_MESSAGES
    )


class SignedScanForm(forms.Form):
    signed_scan = forms.FileField(label="签字盖章扫描件（PDF/JPEG/PNG，≤10 MB）")


class ConfirmCompletionForm(forms.Form):
    comment = forms.CharField(
        label="其他意见（可不填）",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _date_widget():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CompletionScanForm(forms.Form):
    """The completion slip signed on paper by the enterprise (登记纸质确认)."""

    scan = forms.FileField(label="签字的服务办结单扫描件（PDF/JPEG/PNG，≤10 MB）")
    signed_on = forms.DateField(label="签字日期", widget=_date_widget())
    signed_by = forms.CharField(label="签字人（项目单位）", max_length=40)


class ReturnedOriginalForm(forms.Form):
    """One original returned to the enterprise (返还原件)."""

    name = forms.CharField(label="原件名称", max_length=200)
    copies = forms.IntegerField(label="份数", min_value=1, max_value=99, initial=1)
    returned_on = forms.DateField(label="返还日期", widget=_date_widget())
    received_by = forms.CharField(label="签收人", max_length=40)


class ArchiveForm(ReturnedOriginalForm):
    """Archive, recording at the same time one more original returned (all four or none)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["name"].label = "同时返还的原件（可不填）"

    def clean(self):
        data = super().clean()
        given = [data.get(k) for k in ("name", "returned_on", "received_by")]
        if any(given) and not all(given):
            raise forms.ValidationError("登记返还原件须同时填写原件名称、返还日期和签收人。")
        return data

    def originals(self) -> list[dict]:
        data = self.cleaned_data
        if not data.get("name"):
            return []
        return [
            {
                "name": data["name"],
                "copies": data.get("copies") or 1,
                "returned_on": data["returned_on"],
                "received_by": data["received_by"],
            }
        ]
