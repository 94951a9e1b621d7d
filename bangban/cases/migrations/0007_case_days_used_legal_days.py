"""The working days a completed case used and its legal limit in working days, both without
the suspended working days (``cases.deadlines.store_duration``), so the metrics' average days
and speed-up are database aggregates (docs/supervision.md). Filled here for the cases already
completed, on the calendar as it stands now."""

from django.db import migrations, models


def fill_durations(apps, schema_editor):
    from bangban.rules.workdays import count_working_days
    from bangban.workdays.selectors import get_calendar

    Case = apps.get_model("cases", "Case")
    cal = get_calendar()
    done = Case.objects.filter(
        state="completed", accepted_on__isnull=False, actual_finish__isnull=False
    ).only("pk", "accepted_on", "actual_finish", "legal_due", "days_suspended")
    changed = []
    for case in done.iterator(chunk_size=500):
        suspended = case.days_suspended or 0
        elapsed = count_working_days(cal, case.accepted_on, case.actual_finish).days
        case.days_used = max(0, elapsed - suspended)
        if case.legal_due is not None:
            legal = count_working_days(cal, case.accepted_on, case.legal_due).days
            case.legal_days = max(0, legal - suspended)
        changed.append(case)
        if len(changed) >= 500:
            Case.objects.bulk_update(changed, ["days_used", "legal_days"])
            changed = []
    if changed:
        Case.objects.bulk_update(changed, ["days_used", "legal_days"])


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0006_case_service_mode"),
        ("workdays", "0002_notice_text_length_limit"),
    ]

    operations = [
        migrations.AddField(
            model_name="case",
            name="days_used",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="受理至办结的工作日数，不含中止计时的工作日；受理当日办结为 0",
                null=True,
                verbose_name="实际用时（工作日）",
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="legal_days",
            field=models.PositiveIntegerField(
                blank=True,
                help_text="受理至法定办结期限的工作日数，不含中止计时的工作日；空表示法律未设定时限",
                null=True,
                verbose_name="法定时限折合工作日",
            ),
        ),
        migrations.RunPython(fill_durations, migrations.RunPython.noop),
    ]
