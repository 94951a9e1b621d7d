"""manage.py workdays …"""

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from bangban.workdays.services import calendar_year_enter_notice

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def run(*args) -> str:
    out = io.StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


@pytest.mark.parametrize(
    ("args", "output"),
    [
        (("due", "2026-09-30", "5"), "2026-10-13"),
        (("due", "2026-02-14", "1"), "2026-02-24"),
        (("due", "2026-10-01", "0"), "2026-10-08"),
        (("due", "2026-12-31", "1"), "2027-01-01 provisional"),
        (("is", "2026-10-10"), "working"),
        (("is", "2026-10-05"), "off"),
        (("is", "2027-01-01"), "working provisional"),
        (("is", "2027-01-02"), "off provisional"),
        (("count", "2025-12-31", "2026-12-31"), "248"),
        (("count", "2026-10-13", "2026-09-30"), "-5"),
        (("count", "2026-12-31", "2027-01-31"), "21 provisional"),
    ],
)
def test_outputs(args, output):
    assert run(*args) == output


def test_year_known_from_the_package():
    out = run("year", "2026")
    assert out.splitlines()[0] == "2026年：已确认（holidays 软件包）"
    assert "工作日：248 天" in out
    assert "休息（工作日放假）：19 天" in out
    assert "  2026-10-05 周一 国庆节（补假）" in out
    assert "调休上班（周末上班）：6 天" in out
    assert "  2026-10-10 周六 调休上班" in out


def test_year_unconfirmed_then_confirmed(notice_2027):
    out = run("year", "2027")
    assert out.splitlines()[0].startswith("2027年：未确认")
    assert "工作日：261 天 provisional" in out
    calendar_year_enter_notice(year=2027, text=notice_2027, title="2027 年安排", user=None)
    out = run("year", "2027")
    assert out.splitlines()[0] == "2027年：已确认（中心录入的通知《2027 年安排》）"
    assert "  2027-02-14 周日 春节调休上班" in out
    assert run("due", "2026-12-31", "1") == "2027-01-04"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("due", "2026-13-01", "5"), "日期无效：“2026-13-01”"),
        (("due", "tomorrow", "5"), "日期无效"),
        (("due", "2026-09-30", "-1"), "天数不能为负数：-1"),
        (("due", "2026-09-30", "five"), "天数无效：“five”"),
        (("is", "2026/10/10"), "日期无效"),
        (("count", "2026-01-01", "x"), "日期无效：“x”"),
        (("year", "二〇二七"), "年份无效"),
        (("due", "9999-12-30", "5"), "无法计算"),
    ],
)
def test_bad_input_is_a_command_error(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_missing_subcommand_is_a_command_error():
    with pytest.raises(CommandError):
        run()


def test_shell_exit_status_and_no_traceback(tmp_path):
    """From the shell: non-zero exit, a Chinese message, no traceback (fresh SQLite)."""
    env = {**os.environ, "BANGBAN_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "workdays", "-v0"], env=env, check=True, cwd=ROOT)
    ok = subprocess.run(
        [*manage, "workdays", "due", "2026-09-30", "5"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert (ok.returncode, ok.stdout) == (0, "2026-10-13\n")
    bad = subprocess.run(
        [*manage, "workdays", "due", "2026-09-31", "5"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode != 0
    assert "日期无效" in bad.stderr and "Traceback" not in bad.stderr
