"""Reading the versioned reference data files under `data/`."""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import CommandError


def read_yaml(relative: str | Path) -> Any:
    path = Path(relative)
    if not path.is_absolute():
        path = Path(settings.REFERENCE_DATA_DIR) / path
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle) or {}
    except FileNotFoundError as exc:
        raise CommandError(f"找不到数据文件：{path}") from exc
    except yaml.YAMLError as exc:
        raise CommandError(f"数据文件 {path} 格式错误：{exc}") from exc
