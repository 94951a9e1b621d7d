"""Log a demo user in through the real login form; a role that needs TOTP (admin, supervisor,
leader) then enters the code of the demo secret on the second-factor page."""

from __future__ import annotations

import re
import time

import pyotp

from bangban.web.management.commands.demo_data import DEMO_PASSWORD, DEMO_TOTP_SECRET

SECOND_FACTOR = "/accounts/second-factor/"


def log_in(page, username: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/accounts/(workbench|second-factor)/"))
    if SECOND_FACTOR in page.url:
        totp = pyotp.TOTP(DEMO_TOTP_SECRET)
        # A code is good once: should this user have used the current one already (two
        # logins within 30 s), the next step's code is accepted too.
        for moment in (time.time(), time.time() + 30):
            page.fill("input[name=code]", totp.at(moment))
            page.get_by_role("button", name="验证").click()
            page.wait_for_load_state()
            if SECOND_FACTOR not in page.url:
                break
    page.wait_for_url(re.compile(r"/accounts/workbench/"))
