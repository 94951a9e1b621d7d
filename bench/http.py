"""Requests per second of the pages and the API, served by gunicorn, against /healthz.

    .venv/bin/python bench/http.py [--seconds 10] [--concurrency 8] [--workers 2]
                                   [--database-url URL]

Builds a throwaway SQLite database in a temporary directory (migrate + load_reference +
demo_data), or, with ``--database-url``, uses that database as configured (it is migrated,
loaded and given the demo data: never point it at a database you care about). Starts
``gunicorn bangban.wsgi`` with ``--workers`` sync workers on a free port of 127.0.0.1
(BANGBAN_DEBUG=0, so the figures are those of production settings), waits for /healthz,
logs in a demo agent (``agent``, or ``agent2`` when none of ``agent``'s commissions has a
plan, as in the demo data) and picks one of its commissions that has a plan, and a catalog item.

Then, from this process (not the server's), drives each endpoint in turn for exactly
``--seconds`` with ``--concurrency`` threads, each thread with its own connection
(http.client; gunicorn's sync workers close it after every answer, so the threads reconnect),
and prints one row per endpoint: requests, non-2xx answers, requests per second, the 50th,
95th and 99th percentile latency, the requests per second as a share of /healthz's in the
same run, where the CPU went meanwhile (cores used by gunicorn, by this client, by every
other process of the machine, and stolen by the hypervisor, from /proc: other work on the
machine shows there and makes the figures worthless; a warning is printed), and gunicorn's
CPU time per answer. Every status is checked; the non-2xx answers are counted per status and
printed. The logged-in endpoints carry that agent's session cookie.

A fixed pure-Python loop is timed before and after: on a shared host the same machine is not
always as fast, and two runs compare only when that time is alike (compare the ratios to
/healthz within a run rather than requests per second across runs).

The public preview API is throttled (DRF ScopedRateThrottle, scope "preview", 30/min per
client in bangban/settings.py, not configurable from the environment; the throttle's cache is
the per-process LocMemCache, so each gunicorn worker allows its own 30/min): its 429 answers
are shown as errors, not lifted. The preview page is not throttled.

The client shares the machine with the server: on a small machine it takes CPU from the
workers, most visibly on the cheapest endpoint (/healthz). Traffic goes to 127.0.0.1 only;
the server is always stopped at the end. Prints figures only; nothing is asserted.

This file is named http.py: run as a script, its directory comes first on sys.path and would
shadow the standard library's ``http`` package, so that directory is taken off sys.path
before anything imports ``http``.
"""

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]

import argparse  # noqa: E402
import atexit  # noqa: E402
import http.client  # noqa: E402
import importlib.metadata  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import socket  # noqa: E402
import sqlite3  # noqa: E402
import subprocess  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from urllib.parse import urlencode, urlsplit  # noqa: E402

ROOT = HERE.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
GUNICORN = ROOT / ".venv" / "bin" / "gunicorn"
HOST = "127.0.0.1"
#: Demo agents tried in turn: the first whose commissions include one with a plan is used for
#: every logged-in endpoint (in the demo data, "agent"'s commissions have none: the agreed ones,
#: one with a draft plan and one with a fixed plan under way, are "agent2"'s).
DEMO_USERS = ("agent", "agent2", "agent3")
DEMO_PASSWORD = "Bangban@2026"
# the demo's TOTP secret of the users who need a second factor (supervisor, leader, admin)
DEMO_TOTP_SECRET = "BANGBANDEMOTOTPSECRETXYZ234567AB"

PREVIEW_START = "2026-09-21"
PREVIEW_ATTRIBUTES = {
    "investment_type": "enterprise_approval",
    "industry_code": "C2614",
    "energy_tce": 15000,
    "eia_category": "report_book",
}


# --- the server ------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def manage(env: dict, *args: str) -> None:
    t = time.perf_counter()
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"manage.py {' '.join(args)} failed ({done.returncode})")
    print(f"manage.py {' '.join(args):<28} {time.perf_counter() - t:6.1f} s")


class Server:
    """gunicorn in a subprocess; stopped by stop(), at exit, whatever happens."""

    def __init__(self, env: dict, workers: int, log_path: Path) -> None:
        self.port = free_port()
        self.log_path = log_path
        self.log = open(log_path, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(GUNICORN),
                "bangban.wsgi",
                "-b",
                f"{HOST}:{self.port}",
                "-w",
                str(workers),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        atexit.register(self.stop)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if not self.log.closed:
            self.log.close()

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.flush()
                sys.stderr.write(self.log_path.read_text())
                raise SystemExit(f"gunicorn exited with {self.process.returncode}")
            try:
                status, _, _ = request(self.port, "GET", "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise SystemExit(f"gunicorn did not answer /healthz within {timeout:.0f} s")


# --- where the CPU went ---------------------------------------------------------------------


TICK = os.sysconf("SC_CLK_TCK")


def _process_ticks(pid: int | str, children: bool = False) -> int:
    """utime + stime of a process (and of its reaped children), in clock ticks."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0
    ticks = int(fields[11]) + int(fields[12])
    return ticks + int(fields[13]) + int(fields[14]) if children else ticks


def _children(pid: int) -> list[str]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[1] == str(pid):
                found.append(stat.parent.name)
        except (OSError, IndexError):
            continue
    return found


def cpu_snapshot(server_pid: int) -> tuple[int, int, int, int]:
    """(ticks of the whole machine, of the server: gunicorn master and workers, of this
    process, stolen by the hypervisor), from /proc; the machine's less the server's and this
    process's is what other processes (and the kernel's network work) used."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    server = _process_ticks(server_pid, children=True) + sum(
        _process_ticks(pid) for pid in _children(server_pid)
    )
    return user + nice + system + irq + softirq, server, _process_ticks(os.getpid()), steal


# --- one-off requests (setup) ------------------------------------------------------------------


def request(
    port: int, method: str, path: str, body: bytes | None = None, headers: dict | None = None
) -> tuple[int, http.client.HTTPResponse, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response, response.read()
    finally:
        conn.close()


def cookies_of(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def log_in(port: int, username: str) -> str:
    """The user's Cookie header (sessionid + csrftoken)."""
    status, response, body = request(port, "GET", "/accounts/login/")
    if status != 200:
        raise SystemExit(f"GET /accounts/login/ answered {status}")
    csrf_cookie = cookies_of(response)["csrftoken"]
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode(
        {"username": username, "password": DEMO_PASSWORD, "csrfmiddlewaretoken": token}
    )
    status, response, _ = request(
        port,
        "POST",
        "/accounts/login/",
        body=form.encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={csrf_cookie}",
        },
    )
    session = cookies_of(response).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"logging in {username} failed: {status}")
    cookie = f"csrftoken={csrf_cookie}; sessionid={session}"
    if "second-factor" in (response.getheader("Location") or ""):
        cookie = second_factor(port, username, cookie, csrf_cookie)
    return cookie


def second_factor(port: int, username: str, cookie: str, csrf_cookie: str) -> str:
    """Complete the TOTP step of a supervisor or leader with the demo secret (pyotp, a
    dependency of bangban); the session id changes on success."""
    import pyotp

    status, _, body = request(port, "GET", "/accounts/second-factor/", headers={"Cookie": cookie})
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"code": pyotp.TOTP(DEMO_TOTP_SECRET).now(), "csrfmiddlewaretoken": token})
    status, response, _ = request(
        port,
        "POST",
        "/accounts/second-factor/",
        body=form.encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    session = cookies_of(response).get("sessionid")
    if status != 302 or not session:
        raise SystemExit(f"the second factor of {username} failed: {status}")
    return f"csrftoken={csrf_cookie}; sessionid={session}"


def get_json(port: int, path: str, cookie: str) -> tuple[int, dict]:
    status, _, body = request(
        port, "GET", path, headers={"Cookie": cookie, "Accept": "application/json"}
    )
    return status, (json.loads(body) if status == 200 else {})


def pick_commission(port: int, cookie: str) -> tuple[int, str, int] | None:
    """(commission id, plan state, plan items) of a commission of the user that has a plan
    (a fixed plan, under way, is preferred, then the plan with the most items), or None."""
    status, page = get_json(port, "/api/v1/commissions/?page_size=200", cookie)
    if status != 200:
        raise SystemExit(f"GET /api/v1/commissions/ answered {status}")
    found = []
    for commission in page["results"]:
        status, plan = get_json(port, f"/api/v1/commissions/{commission['id']}/plan/", cookie)
        if status == 200:
            found.append((plan["state"] == "fixed", len(plan["items"]), commission["id"]))
    if not found:
        return None
    fixed, items, pk = max(found)
    return pk, "fixed" if fixed else "draft", items


def pick_item(port: int) -> str:
    status, page = get_json(port, "/api/v1/catalog/items/", "")
    if status != 200 or not page["results"]:
        raise SystemExit(f"GET /api/v1/catalog/items/ answered {status}")
    return page["results"][0]["code"]


# --- the load --------------------------------------------------------------------------------


@dataclass
class Endpoint:
    label: str
    path: str
    method: str = "GET"
    body: bytes | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class Result:
    endpoint: Endpoint
    elapsed: float
    latencies: list[float]
    statuses: Counter
    failures: Counter
    cpu: tuple[float, ...] = (0.0, 0.0, 0.0, 0.0)  # cores: server, client, others, stolen

    @property
    def requests(self) -> int:
        return len(self.latencies)

    @property
    def errors(self) -> int:
        return sum(n for s, n in self.statuses.items() if not 200 <= s < 300) + sum(
            self.failures.values()
        )

    @property
    def rate(self) -> float:
        return self.requests / self.elapsed

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def drive(port: int, endpoint: Endpoint, seconds: float, concurrency: int) -> Result:
    """`concurrency` threads send `endpoint` back to back until `seconds` have passed."""
    latencies: list[list[float]] = [[] for _ in range(concurrency)]
    statuses: list[Counter] = [Counter() for _ in range(concurrency)]
    failures: list[Counter] = [Counter() for _ in range(concurrency)]
    start = threading.Barrier(concurrency + 1)
    deadline = [0.0]

    def worker(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=60)
        start.wait()
        stop = deadline[0]
        while True:
            t = time.perf_counter()
            if t >= stop:
                break
            try:
                conn.request(
                    endpoint.method, endpoint.path, body=endpoint.body, headers=endpoint.headers
                )
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.will_close:
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                conn.close()
                failures[n][type(exc).__name__] += 1
                status = None
            latencies[n].append(time.perf_counter() - t)
            if status is not None:
                statuses[n][status] += 1
        conn.close()

    threads = [threading.Thread(target=worker, args=(n,), daemon=True) for n in range(concurrency)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + seconds
    start.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    return Result(
        endpoint,
        elapsed,
        [x for per in latencies for x in per],
        sum(statuses, Counter()),
        sum(failures, Counter()),
    )


def pick_case(port: int, cookie: str) -> int:
    """The id of the user's case with the longest history (the richest case page)."""
    status, page = get_json(port, "/api/v1/cases/?page_size=200", cookie)
    if status != 200 or not page["results"]:
        raise SystemExit(f"GET /api/v1/cases/ answered {status} with no case")
    best = max(page["results"], key=lambda case: (case["state"] != "planned", case["id"]))
    return best["id"]


def endpoints(
    cookie: str,
    commission: int,
    item: str,
    case: int,
    officer_cookie: str,
    supervisor_cookie: str,
) -> list[Endpoint]:
    session = {"Cookie": cookie}
    officer = {"Cookie": officer_cookie}
    supervisor = {"Cookie": supervisor_cookie}
    month = time.strftime("%Y-%m")
    query = urlencode({"start_date": PREVIEW_START, **PREVIEW_ATTRIBUTES})
    return [
        Endpoint("/healthz", "/healthz"),
        Endpoint("catalog page", "/catalog/"),
        Endpoint("catalog item page", f"/catalog/items/{item}/"),
        Endpoint("catalog API", "/api/v1/catalog/items/"),
        Endpoint("workbench", "/accounts/workbench/", headers=session),
        Endpoint("commission page", f"/commissions/{commission}/", headers=session),
        Endpoint("commission API", f"/api/v1/commissions/{commission}/", headers=session),
        Endpoint("plan page", f"/commissions/{commission}/plan/", headers=session),
        Endpoint("plan API", f"/api/v1/commissions/{commission}/plan/", headers=session),
        Endpoint("ledger page", "/cases/", headers=session),
        Endpoint("ledger API", "/api/v1/cases/", headers=session),
        Endpoint("case page", f"/cases/{case}/", headers=session),
        Endpoint("case API", f"/api/v1/cases/{case}/", headers=session),
        Endpoint("inbox page (officer)", "/cases/inbox/", headers=officer),
        Endpoint("rectifications page", "/rectifications/", headers=session),
        Endpoint("dashboard page (supervisor)", "/supervision/", headers=supervisor),
        Endpoint("dashboard API (supervisor)", "/api/v1/dashboard/", headers=supervisor),
        Endpoint("metrics page (supervisor)", "/supervision/metrics/", headers=supervisor),
        Endpoint(
            "metrics API by department",
            f"/api/v1/metrics/?period={month}&by=department",
            headers=supervisor,
        ),
        Endpoint("monthly report page", f"/supervision/reports/{month}/", headers=supervisor),
        Endpoint("ratings page (supervisor)", "/ratings/", headers=supervisor),
        Endpoint("preview page", f"/plans/preview/?{query}"),
        Endpoint(
            "preview API (POST)",
            "/api/v1/plans/preview",
            method="POST",
            body=json.dumps(
                {"start_date": PREVIEW_START, "attributes": PREVIEW_ATTRIBUTES}
            ).encode(),
            headers={"Content-Type": "application/json"},
        ),
    ]


# --- the report ------------------------------------------------------------------------------


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def database_label(url: str | None) -> str:
    if not url:
        return f"SQLite {sqlite3.sqlite_version} (throwaway file in a temporary directory)"
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        return f"SQLite {sqlite3.sqlite_version}, /{parts.path.lstrip('/')} (--database-url)"
    return f"{parts.scheme} on {parts.hostname or 'local socket'} (--database-url)"


def code_label() -> str:
    """The commit measured, and whether the working tree differs from it (read-only git)."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        changed = subprocess.run(
            ["git", "--no-optional-locks", "status", "--porcelain", "--untracked-files=no"],
            cwd=ROOT,
            capture_output=True,
            text=True,
        ).stdout.splitlines()
    except OSError:
        return f"{ROOT} (no git)"
    if not commit:
        return f"{ROOT} (not a git checkout)"
    changes = f", {len(changed)} tracked files changed" if changed else ""
    return f"{ROOT} at commit {commit}{changes}"


def calibrate() -> float:
    """Milliseconds of a fixed pure-Python loop (best of 3): the same machine is not always
    as fast (a shared host), so runs are only comparable when this is alike."""
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        sum(i * i for i in range(1_000_000))
        best = min(best, time.perf_counter() - t)
    return best * 1000


def print_machine(args, url: str | None) -> None:
    print(
        f"machine      {os.cpu_count()} CPUs (nproc {len(os.sched_getaffinity(0))}), {cpu_model()}"
    )
    print(
        f"software     Python {platform.python_version()}, Django {importlib.metadata.version('django')}, "
        f"gunicorn {importlib.metadata.version('gunicorn')} (sync workers), {platform.system()} {platform.release()}"
    )
    print(f"code         {code_label()}")
    print(f"database     {database_label(url)}")
    print(
        f"load         {args.workers} gunicorn workers, {args.concurrency} client threads, "
        f"{args.seconds:g} s per endpoint, client in this process on the same machine"
    )


def print_table(results: list[Result]) -> None:
    base = results[0].rate
    print()
    print(
        f"{'endpoint':<22} {'path':<44} {'requests':>8} {'errors':>7} {'req/s':>8} "
        f"{'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'/healthz':>8} {'CPU: server':>11} "
        f"{'client':>6} {'others':>6} {'stolen':>6} {'server ms/req':>13}"
    )
    for r in results:
        path = r.endpoint.path if len(r.endpoint.path) <= 44 else r.endpoint.path[:41] + "..."
        print(
            f"{r.endpoint.label:<22} {path:<44} {r.requests:>8} {r.errors:>7} {r.rate:>8.1f} "
            f"{r.percentile(50) * 1000:>8.1f} {r.percentile(95) * 1000:>8.1f} "
            f"{r.percentile(99) * 1000:>8.1f} {r.rate / base * 100:>7.1f}% {r.cpu[0]:>11.2f} "
            f"{r.cpu[1]:>6.2f} {r.cpu[2]:>6.2f} {r.cpu[3]:>6.2f} "
            f"{r.cpu[0] / r.rate * 1000 if r.rate else float('nan'):>13.1f}"
        )
    print("(CPU: cores busy on average during the endpoint's run: gunicorn, this client, every")
    print(" other process of the machine, and time stolen by the hypervisor, from /proc;")
    print(" server ms/req: gunicorn's CPU time per answer)")
    busy = max(r.cpu[2] for r in results)
    if busy > 0.1:
        print(
            f"WARNING: other processes used up to {busy:.2f} cores during the run: these "
            "figures are not those of a quiet machine"
        )
    bad = [r for r in results if r.errors]
    print()
    if not bad:
        print("non-2xx answers: none")
    for r in bad:
        what = [
            f"{status}×{n}" for status, n in sorted(r.statuses.items()) if not 200 <= status < 300
        ]
        what += [f"{name}×{n}" for name, n in sorted(r.failures.items())]
        ok = sum(n for status, n in r.statuses.items() if 200 <= status < 300)
        print(
            f"non-2xx answers, {r.endpoint.label}: {', '.join(what)} "
            f"({ok} answered 2xx, {ok / r.elapsed:.1f} 2xx/s)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--seconds", type=float, default=10, help="per endpoint (default 10)")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--database-url", help="use this database instead of a throwaway SQLite file"
    )
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="bangban-bench-http-"))
    atexit.register(shutil.rmtree, workdir, ignore_errors=True)
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)
    env |= {
        "BANGBAN_DATA_DIR": str(workdir),
        "BANGBAN_DEBUG": "0",
        "BANGBAN_ALLOWED_HOSTS": f"{HOST},localhost",
        "BANGBAN_LOG_LEVEL": "WARNING",
        "BANGBAN_SECURE_COOKIES": "0",
        "DJANGO_SETTINGS_MODULE": "bangban.settings",
    }
    env.pop("CELERY_BROKER_URL", None)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url

    print_machine(args, args.database_url)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (before)")
    print(f"calibration  {calibrate():.1f} ms for a fixed Python loop (before)")
    manage(env, "migrate", "--noinput")
    manage(env, "load_reference")
    manage(env, "demo_data")

    server = Server(env, args.workers, workdir / "gunicorn.log")
    try:
        server.wait_ready()
        for username in DEMO_USERS:
            cookie = log_in(server.port, username)
            picked = pick_commission(server.port, cookie)
            if picked is not None:
                break
            print(f"{username:<12} logged in; none of its commissions has a plan")
        else:
            raise SystemExit(f"none of {', '.join(DEMO_USERS)} has a commission with a plan")
        commission, plan_state, plan_items = picked
        item = pick_item(server.port)
        case = pick_case(server.port, cookie)
        officer_cookie = log_in(server.port, "officer")
        supervisor_cookie = log_in(server.port, "supervisor")
        print(
            f"server       gunicorn on {HOST}:{server.port}; {username} logged in; "
            f"commission {commission} ({plan_state} plan, {plan_items} items); catalog item {item}"
        )
        status, _, _ = request(server.port, "GET", "/static/css/bangban.css")
        print(f"static       GET /static/css/bangban.css answered {status}")

        targets = endpoints(cookie, commission, item, case, officer_cookie, supervisor_cookie)
        for endpoint in targets:  # warm every worker's caches; the preview API is left alone
            if endpoint.method == "GET":
                for _ in range(2 * args.workers):
                    request(server.port, endpoint.method, endpoint.path, headers=endpoint.headers)
        results = []
        for endpoint in targets:
            before = cpu_snapshot(server.process.pid)
            result = drive(server.port, endpoint, args.seconds, args.concurrency)
            after = cpu_snapshot(server.process.pid)
            machine, srv, cli, steal = (b - a for a, b in zip(before, after, strict=True))
            result.cpu = tuple(
                ticks / TICK / result.elapsed
                for ticks in (srv, cli, max(0, machine - srv - cli), steal)
            )
            results.append(result)
            print(
                f"  {endpoint.label:<22} {result.rate:8.1f} req/s  {result.errors} non-2xx",
                flush=True,
            )
        print_table(results)
        print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())} (after)")
        print(f"calibration  {calibrate():.1f} ms for a fixed Python loop (after)")
        server.log.flush()
        logged = Counter(server.log_path.read_text().splitlines())
        if logged:
            print(f"gunicorn log: {logged.total()} lines; the most frequent:")
            for line, n in logged.most_common(5):
                print(f"  {n:>6} × {line}")
    finally:
        server.stop()


if __name__ == "__main__":
    main()
