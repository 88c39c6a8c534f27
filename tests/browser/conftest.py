"""What every browser test module shares: its own `pantau serve --demo`, one headless Chromium, and a `Visit` that
saves its screenshots in a folder named after the module.

Environment:
  PANTAU_BINARY       the built server (default /tmp/pantau-for-helper)
  PANTAU_HOME         the repository root with Resources/ and Public/ (default: computed from this file)
  PANTAU_TEST_OUTPUT  where the screenshots go (default <repo>/test-output/browser)
  CHROMIUM, CHROMEDRIVER  the browser and its driver (default /usr/bin/chromium, /usr/bin/chromedriver)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from pantau_browser import Visit, chromium
from pantau_server import Server

REPO_ROOT = Path(__file__).resolve().parents[2]
BINARY = os.environ.get("PANTAU_BINARY", "/tmp/pantau-for-helper")
PANTAU_HOME = os.environ.get("PANTAU_HOME", str(REPO_ROOT))
OUTPUT_ROOT = Path(os.environ.get("PANTAU_TEST_OUTPUT", str(REPO_ROOT / "test-output" / "browser")))

SECRETARIAT = "sekretariat@pantau.local"
AGENCY_IMPLEMENTER = "demo.kl@pantau.local"  # Kementerian Hukum dan HAM
CSO_IMPLEMENTER = "demo.oms@pantau.local"
REVIEWER = "demo.reviewer@pantau.local"
MONITOR = "demo.monitor@pantau.local"
STARTUP_TIMEOUT = 90  # seconds: migrations and loading both plans on an empty data folder


@pytest.fixture(scope="module")
def server():
    if not os.access(BINARY, os.X_OK):
        pytest.fail(f"Pantau binary {BINARY} not found or not executable (set PANTAU_BINARY)")
    started = Server(BINARY, PANTAU_HOME, (SECRETARIAT, AGENCY_IMPLEMENTER, CSO_IMPLEMENTER, REVIEWER, MONITOR), STARTUP_TIMEOUT)
    try:
        started.wait_until_ready()
        yield started
    finally:
        started.stop()


@pytest.fixture(scope="module")
def downloads():
    folder = tempfile.mkdtemp(prefix="pantau-browser-downloads-")
    yield Path(folder)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def driver(downloads):
    browser = chromium(downloads)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def visit(request, driver, server):
    """Screenshots go to <output>/<module name without test_>; the folder's old PNGs are removed first."""
    output = OUTPUT_ROOT / request.module.__name__.removeprefix("test_")
    output.mkdir(parents=True, exist_ok=True)
    for old in output.glob("*.png"):
        old.unlink()
    return Visit(driver, server, output)
