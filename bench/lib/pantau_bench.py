"""What the reliability scripts share: a built Pantau server on a data folder of its own (SQLite, or a PostgreSQL
database), a private PostgreSQL cluster, signing in through the pages, API tokens, implementer accounts and open
reporting windows. Standard library and `requests` only."""

from __future__ import annotations

import datetime
import glob
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from zoneinfo import ZoneInfo

import requests

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "tests", "browser"))
from pantau_server import minimal_pdf  # noqa: E402,F401  (re-exported for the scripts)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def binary() -> str:
    """PANTAU_BINARY, else the release build if there is one, else the debug build (built if missing)."""
    if os.environ.get("PANTAU_BINARY"):
        return os.environ["PANTAU_BINARY"]
    for configuration in ("release", "debug"):
        path = os.path.join(ROOT, ".build", configuration, "pantau")
        if os.path.exists(path):
            return path
    subprocess.run(["swift", "build", "--product", "pantau"], cwd=ROOT, check=True)
    return os.path.join(ROOT, ".build", "debug", "pantau")


def wib_today() -> datetime.date:
    """Pantau counts days in Jakarta's time (ReportingCalendar)."""
    return datetime.datetime.now(ZoneInfo("Asia/Jakarta")).date()


class PrivatePostgres:
    """A PostgreSQL cluster of this run's own on a free loopback port, with fsync on (the default), stopped at the end."""

    def __init__(self) -> None:
        bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        if not bins:
            subprocess.run(["apt-get", "install", "-y", "-qq", "postgresql"], check=True, stdout=subprocess.DEVNULL)
            bins = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        self.bin = bins[-1]
        self.dir = tempfile.mkdtemp(prefix="pantau-bench-pg-")
        self.port = free_port()
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.getuid() == 0 else []
        if os.getuid() == 0:
            shutil.chown(self.dir, "postgres")
        self._run("initdb", "-D", f"{self.dir}/data", "-U", "pantau", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8")
        self._run("pg_ctl", "-D", f"{self.dir}/data", "-l", f"{self.dir}/server.log", "-w", "start", "-o",
                  f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.dir} -c max_connections=200")
        self.databases = 0

    def _run(self, program: str, *args: str) -> None:
        subprocess.run(self.as_postgres + [f"{self.bin}/{program}", *args], check=True, stdout=subprocess.DEVNULL)

    def new_database(self) -> str:
        self.databases += 1
        name = f"bench_{self.databases}"
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "pantau", name)
        return f"postgres://pantau@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        subprocess.run(self.as_postgres + [f"{self.bin}/pg_ctl", "-D", f"{self.dir}/data", "-m", "fast", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(self.dir, ignore_errors=True)


class Server:
    """`pantau serve` on a data folder (and a DATABASE_URL, if given); output goes to a file in the folder."""

    ACCOUNT = re.compile(r"(\S+@\S+) \(.*\)[^:]*: (\S+)$")

    def __init__(self, data_dir: str, database_url: str | None = None, demo: bool = True,
                 log_level: str = os.environ.get("BENCH_LOG_LEVEL", "error")) -> None:
        self.data_dir = data_dir
        self.database_url = database_url
        self.demo = demo
        self.log_level = log_level
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.passwords: dict[str, str] = {}
        self.process: subprocess.Popen | None = None
        # More settings for the process (a mail server, for instance).
        self.extra_env: dict[str, str] = {}

    def environment(self) -> dict[str, str]:
        env = dict(os.environ, PANTAU_HOME=ROOT, PANTAU_DATA_DIR=self.data_dir, LOG_LEVEL=self.log_level, PANTAU_LANG="en")
        env.pop("DATABASE_URL", None)
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(self.extra_env)
        return env

    def start(self, timeout: float = 120) -> None:
        os.makedirs(self.data_dir, exist_ok=True)
        output = open(os.path.join(self.data_dir, f"server-{int(time.time() * 1000)}.log"), "w")
        arguments = [binary(), "serve", "--host", "127.0.0.1", "--port", str(self.port)] + (["--demo"] if self.demo else [])
        self.process = subprocess.Popen(arguments, env=self.environment(), stdin=subprocess.DEVNULL, stdout=output,
                                        stderr=subprocess.STDOUT)
        self.output = output.name
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = open(self.output, encoding="utf-8", errors="replace").read()
            if self.base in text:
                for line in text.splitlines():
                    match = self.ACCOUNT.search(line)
                    if match:
                        self.passwords[match.group(1)] = match.group(2)
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"pantau serve did not start:\n{open(self.output).read()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL: no shutdown, no flushing, as when the machine's power or the OOM killer strikes the process."""
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()

    def peak_rss_kb(self) -> int:
        """The process's peak resident memory (VmHWM), while it runs."""
        with open(f"/proc/{self.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
        return 0

    def command(self, *arguments: str) -> subprocess.CompletedProcess:
        return subprocess.run([binary(), *arguments], env=self.environment(), capture_output=True, text=True)


class Browser:
    """A person at the pages: cookies and the CSRF token of the last page."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = requests.Session()
        self.csrf = ""

    def _remember(self, response: requests.Response) -> requests.Response:
        match = re.search(r'name="_csrf" value="([^"]+)"', response.text)
        if match:
            self.csrf = match.group(1)
        return response

    def get(self, path: str) -> requests.Response:
        return self._remember(self.session.get(self.base + path, allow_redirects=False, timeout=60))

    def post(self, path: str, form: dict[str, str]) -> requests.Response:
        return self._remember(self.session.post(self.base + path, data={**form, "_csrf": self.csrf}, allow_redirects=False, timeout=60))

    def sign_in(self, email: str, password: str) -> "Browser":
        self.get("/login")
        answer = self.post("/login", {"email": email, "password": password, "next": "/account"})
        if answer.status_code != 303:
            raise RuntimeError(f"sign-in of {email} failed: {answer.status_code}")
        self.get("/account")
        return self

    def new_token(self, name: str = "bench") -> str:
        page = self.post("/account/tokens", {"name": name})
        if page.status_code == 303:
            # Post/Redirect/Get: the token is shown once, on the page the form leads to.
            page = self.get(page.headers["Location"])
        match = re.search(r'class="once">([^<]+)<', page.text)
        if not match:
            raise RuntimeError(f"no token shown: {page.status_code}")
        return match.group(1)

    def create_implementer(self, email: str, organisation: str) -> str:
        page = self.post("/admin/users", {"name": email, "email": email, "role": "implementer", "organisation": organisation})
        if page.status_code == 303:
            # Post/Redirect/Get: the password is shown once, on the page the form leads to.
            page = self.get(page.headers["Location"])
        match = re.search(r'class="once">([^<]+)<', page.text)
        if not match:
            raise RuntimeError(f"account {email} not created: {page.status_code} {page.text[:300]}")
        return match.group(1)


def api(token: str) -> requests.Session:
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    return session


SECRETARIAT = "sekretariat@pantau.local"


def open_all_windows(base: str, token: str) -> None:
    """Every semester of every plan open for reports today."""
    today = wib_today()
    day = lambda offset: (today + datetime.timedelta(days=offset)).isoformat()  # noqa: E731
    window = {"reportOpens": day(-1), "reportCloses": day(2), "verifyOpens": day(3), "verifyCloses": day(9)}
    seknas = api(token)
    for plan in seknas.get(f"{base}/api/v1/plans", timeout=60).json():
        for semester in plan["semesters"]:
            code = semester["code"] if isinstance(semester, dict) else semester
            answer = seknas.put(f"{base}/api/v1/plans/{plan['code']}/semesters/{code}/window", json=window, timeout=60)
            answer.raise_for_status()


def implementers(server: Server, count: int) -> list[tuple[str, str]]:
    """Up to `count` implementers, one per organisation responsible for measures, each with an API token:
    (organisation, token)."""
    return [(organisation, token) for organisation, _, token in implementer_sessions(server, count)]


def implementer_sessions(server: Server, count: int) -> list[tuple[str, Browser, str]]:
    """`implementers`, each also signed in through the pages: (organisation, browser, token)."""
    seknas = Browser(server.base).sign_in(SECRETARIAT, server.passwords[SECRETARIAT])
    responsible: list[str] = []
    for plan in requests.get(f"{server.base}/api/v1/plans", timeout=60).json():
        detail = requests.get(f"{server.base}/api/v1/plans/{plan['code']}", timeout=60).json()
        for commitment in detail["commitments"]:
            matrix = requests.get(f"{server.base}/api/v1/plans/{plan['code']}/commitments/{commitment['number']}", timeout=60).json()
            for goal in matrix.get("goals", []):
                for measure in goal.get("measures", []):
                    name = (measure.get("responsible") or {}).get("name")
                    if name and name not in responsible:
                        responsible.append(name)
    result = []
    for index, organisation in enumerate(responsible[:count]):
        email = f"bench{index}@pantau.local"
        password = seknas.create_implementer(email, organisation)
        browser = Browser(server.base).sign_in(email, password)
        result.append((organisation, browser, browser.new_token()))
    return result


def secretariat_token(server: Server) -> str:
    return Browser(server.base).sign_in(SECRETARIAT, server.passwords[SECRETARIAT]).new_token("bench-seknas")
