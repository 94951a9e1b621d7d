"""The after-service settings (:class:`AfterServicePolicy`) and the reproducible sampling draw.

* :func:`policy_for` — the policy of a region: its own, else the nearest region above it,
  else the platform default (region empty).
* :func:`sample_draw` — whether a completed commission is drawn for a follow-up visit:
  ``SM3("<seed>:<commission id>")``, its first 13 hexadecimal digits read as a number and
  divided by 16¹³, is a value in [0, 1); the commission is drawn when the value is below the
  share. The seed, the share and the value are recorded on the visit (``draw``), so anyone
  can recompute it; a commission not drawn has no visit, and the same computation shows why.
* :func:`after_service_policies_load` — writes ``data/evaluation/after_service.yaml``.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from bangban.common.datafiles import read_yaml
from bangban.common.hashing import sm3_hex
from bangban.organization.models import Region

from .models import AfterServicePolicy

DATA_FILE = "evaluation/after_service.yaml"
#: Hexadecimal digits of the digest read for the value (52 bits: exact as a float).
DRAW_DIGITS = 13
DRAW_METHOD = "SM3(种子:委托id) 前 13 位十六进制 ÷ 16^13"

#: The fields of a policy row, as the data file names them.
FIELDS = (
    "follow_up_share",
    "follow_up_after_days",
    "rectification_days",
    "bad_rating_visit_days",
    "sample_seed",
    "source",
    "estimated",
    "note",
)


def draw_value(seed: str, commission_id: int) -> float:
    """The commission's value in [0, 1) for ``seed`` (the same inputs, the same value)."""
    digest = sm3_hex(f"{seed}:{commission_id}".encode())
    return int(digest[:DRAW_DIGITS], 16) / 16**DRAW_DIGITS


def sample_draw(*, seed: str, share: Decimal, commission_id: int) -> dict[str, Any]:
    """The draw of one commission: what the visit records in ``draw`` and ``sampled``."""
    value = draw_value(seed, commission_id)
    return {
        "seed": seed,
        "share": str(share),
        "value": value,
        "commission": commission_id,
        "method": DRAW_METHOD,
        "sampled": Decimal(value) < Decimal(share),
    }


def _ancestor_keys(region: Region | None) -> list[str]:
    if region is None:
        return []
    return [key for key in region.path.strip("/").split("/") if key]


def policy_for(region: Region | None) -> AfterServicePolicy:
    """The policy that holds in ``region``: the nearest region's on its path, else the default;
    without any row (the data not loaded yet) the data file's default, unsaved."""
    keys = _ancestor_keys(region)
    rows = list(
        AfterServicePolicy.objects.filter(region__key__in=keys).select_related("region")
    ) + list(AfterServicePolicy.objects.filter(region__isnull=True)[:1])
    depth = {key: index for index, key in enumerate(keys)}
    best = None
    for row in rows:
        rank = depth.get(row.region.key, -1) if row.region_id else -1
        if best is None or rank > best[0]:
            best = (rank, row)
    if best is not None:
        return best[1]
    return _default_from_file()


def _default_from_file() -> AfterServicePolicy:
    for raw in read_yaml(DATA_FILE).get("policies", []):
        if raw.get("region") in (None, ""):
            return AfterServicePolicy(**_clean(raw, "默认设置", []))
    raise ValidationError("数据文件中没有平台默认的回访与整改设置。")


def _number(raw, name: str, where: str, errors: list[str], low: int, high: int) -> int:
    value = raw.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        errors.append(f"{where}：{name} 应为 {low} 到 {high} 之间的整数（工作日）。")
        return low
    return value


def _clean(raw: Mapping[str, Any], where: str, errors: list[str]) -> dict[str, Any]:
    try:
        share = Decimal(str(raw.get("follow_up_share")))
    except InvalidOperation:
        share = Decimal("-1")
    if not Decimal("0") <= share <= Decimal("1"):
        errors.append(f"{where}：follow_up_share 应为 0 到 1 之间的小数。")
        share = Decimal("0")
    seed = str(raw.get("sample_seed") or "").strip()
    if not seed or len(seed) > 64:
        errors.append(f"{where}：sample_seed 应为 1 到 64 个字符。")
    source = str(raw.get("source") or "").strip()
    if not source:
        errors.append(f"{where}：请写明出处（source）。")
    estimated = raw.get("estimated") or []
    if isinstance(estimated, list | tuple):
        estimated = "、".join(str(name) for name in estimated)
    return {
        "follow_up_share": share.quantize(Decimal("0.001")),
        "follow_up_after_days": _number(raw, "follow_up_after_days", where, errors, 0, 60),
        "rectification_days": _number(raw, "rectification_days", where, errors, 1, 30),
        "bad_rating_visit_days": _number(raw, "bad_rating_visit_days", where, errors, 1, 60),
        "sample_seed": seed[:64],
        "source": source[:300],
        "estimated": str(estimated)[:200],
        "note": str(raw.get("note") or "")[:300],
    }


def after_service_policies_load(
    rows: list[Mapping[str, Any]], *, overwrite: bool = False
) -> tuple[int, int]:
    """Write the data file's policies: (created, updated). Keyed by region (empty: the
    default); a row already held is kept as an administrator left it unless ``overwrite``.
    A bad row refuses the whole file (Chinese messages)."""
    regions = {region.key: region for region in Region.objects.all()}
    errors: list[str] = []
    clean: list[tuple[Region | None, dict[str, Any]]] = []
    seen: set[str | None] = set()
    for number, raw in enumerate(rows, start=1):
        where = f"第 {number} 条设置"
        key = raw.get("region")
        key = str(key) if key not in (None, "") else None
        if key is not None and key not in regions:
            errors.append(f"{where}：找不到区划「{key}」。")
        if key in seen:
            errors.append(f"{where}：区划「{key or '平台默认'}」重复。")
        seen.add(key)
        clean.append((regions.get(key) if key else None, _clean(raw, where, errors)))
    if None not in seen:
        errors.append("数据文件须有一条平台默认设置（region 为空）。")
    if errors:
        raise ValidationError(errors)
    created = updated = 0
    with transaction.atomic():
        for region, values in clean:
            row = AfterServicePolicy.objects.filter(region=region).first()
            if row is None:
                row = AfterServicePolicy(region=region, **values)
                row.full_clean()
                row.save()
                created += 1
            elif overwrite:
                for name, value in values.items():
                    setattr(row, name, value)
                row.full_clean()
                row.save()
                updated += 1
    return created, updated
