"""What the browser tests share: a Pantau server of their own, and small helpers."""

from __future__ import annotations

import datetime
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from zoneinfo import ZoneInfo


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`pantau serve --demo` on a fresh data folder; its output is collected line by line by a thread."""

    READY = "Pantau berjalan di"
    ACCOUNT = re.compile(r"Akun (\S+@\S+) \((\w+), organisasi: .*?\) dibuat\. Kata sandi [^:]*: (\S+)")

    def __init__(self, binary: str, home: str, accounts: tuple[str, ...], startup_timeout: float = 90) -> None:
        self.accounts = accounts
        self.startup_timeout = startup_timeout
        self.data_dir = tempfile.mkdtemp(prefix="pantau-browser-data-")
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.passwords: dict[str, str] = {}
        self._ready = threading.Event()
        env = dict(os.environ, PANTAU_HOME=home, PANTAU_DATA_DIR=self.data_dir)
        self.process = subprocess.Popen(
            [binary, "serve", "--host", "127.0.0.1", "--port", str(self.port), "--demo"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, encoding="utf-8", errors="replace", bufsize=1)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            line = line.rstrip("\n")
            self.lines.append(line)
            match = self.ACCOUNT.search(line)
            if match:
                self.passwords[match.group(1)] = match.group(3)
            if self.READY in line:
                self._ready.set()
        self._ready.set()  # output ended: wake the waiter, which then sees the exit

    def wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        while not self._ready.wait(timeout=0.5):
            if time.monotonic() > deadline:
                raise AssertionError(f"server did not print {self.READY!r} within {self.startup_timeout}s\n{self.log()}")
        if self.process.poll() is not None or not any(self.READY in line for line in self.lines):
            raise AssertionError(f"server exited with status {self.process.poll()} before listening\n{self.log()}")
        for account in self.accounts:
            if account not in self.passwords:
                raise AssertionError(f"no one-time password for {account} in the server output\n{self.log()}")

    def log(self) -> str:
        return "----- server log -----\n" + "\n".join(self.lines) + "\n----- end of server log -----"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        self._reader.join(timeout=5)
        shutil.rmtree(self.data_dir, ignore_errors=True)


def minimal_pdf(text: str) -> bytes:
    """A small but valid one-page PDF (correct cross-reference offsets) showing `text`."""
    stream = f"BT /F1 18 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def wib_today() -> datetime.date:
    """Pantau counts days in Jakarta's time (ReportingCalendar)."""
    return datetime.datetime.now(ZoneInfo("Asia/Jakarta")).date()
