from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from bangban.catalog.services import catalog_load, specs_from_mapping
from bangban.catalog.specs import CatalogValidationError
from bangban.common.datafiles import read_yaml

DEFAULT_FILE = "catalog/items.yaml"


class Command(BaseCommand):
    help = "载入并发布事项清单（默认 data/catalog/items.yaml）。内容未变时不做任何修改。"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=DEFAULT_FILE)

    def handle(self, *args, file=DEFAULT_FILE, **options):
        data = read_yaml(file)
        try:
            specs, where = specs_from_mapping(data)
            version, created = catalog_load(specs=specs, where=where, source=Path(file).name)
        except CatalogValidationError as exc:
            raise CommandError(
                "事项清单有误，未做任何修改：\n" + "\n".join(str(e) for e in exc.errors)
            ) from exc
        if created:
            self.stdout.write(f"已发布事项清单第 {version.number} 版：{len(specs)} 个事项。")
        else:
            self.stdout.write(f"事项清单未变（第 {version.number} 版，{len(specs)} 个事项）。")
