"""nginx as deployed (deploy/nginx-pantau.conf) keeps visitors' pages for a second, and nothing that is one person's:
through it, a visitor's page is answered from nginx's cache; a signed-in person, a form with its token and an API call
with a token always reach Pantau; each language is its own page; and a kept page is asked for again after a second.
HTTP through a real nginx in front of this module's `pantau serve --demo`."""

from __future__ import annotations

import re
import shutil
import tempfile
import time

import pytest
import requests
from conftest import SECRETARIAT
from deployed_nginx import NGINX, DeployedNginx

DASHBOARD = "/plans/ran-ogi-2020-2022/dashboard"
# nginx counts whole seconds: a page marked for one second is kept until the end of the next second, so one to two
# seconds. Waiting this long, nothing kept before is answered any more.
WHOLE_SECONDS = 2.1


@pytest.fixture(scope="module")
def nginx(server):
    if not shutil.which(NGINX):
        pytest.fail(f"{NGINX} not found: scripts/test installs nginx-light")
    work = tempfile.mkdtemp(prefix="pantau-nginx-")
    started = DeployedNginx(work, [server.port], worker_connections=256)
    yield started
    started.stop()
    shutil.rmtree(work, ignore_errors=True)


def cache_status(response: requests.Response) -> str:
    return response.headers.get("X-Cache-Status", "")


def fresh_page(nginx, path: str, session: requests.Session | None = None) -> list[requests.Response]:
    """Waits out any kept copy, then asks twice in a row."""
    time.sleep(WHOLE_SECONDS)
    client = session or requests.Session()
    return [client.get(nginx.base + path, timeout=30) for _ in range(2)]


def kept_pair(nginx, path: str, session: requests.Session | None = None) -> tuple[requests.Response, requests.Response]:
    """An answer nginx stored and the next one for the same page, which should come from the store (a few tries in a row,
    should a second turn between them)."""
    time.sleep(WHOLE_SECONDS)
    client = session or requests.Session()
    previous = client.get(nginx.base + path, timeout=30)
    for _ in range(5):
        current = client.get(nginx.base + path, timeout=30)
        if cache_status(current) == "HIT":
            break
        previous = current
    return previous, current


def signed_in(nginx, server, email: str) -> requests.Session:
    session = requests.Session()
    form = session.get(nginx.base + "/login", timeout=30)
    token = re.search(r'name="_csrf" value="([^"]+)"', form.text).group(1)
    answer = session.post(nginx.base + "/login", data={"email": email, "password": server.passwords[email], "next": "/account",
                                                       "_csrf": token}, allow_redirects=False, timeout=30)
    assert answer.status_code == 303, answer.status_code
    return session


def test_a_visitors_page_is_kept_for_a_second(nginx):
    first, second = kept_pair(nginx, DASHBOARD)
    assert first.status_code == second.status_code == 200
    assert cache_status(first) in ("MISS", "EXPIRED")
    assert cache_status(second) == "HIT"
    assert second.content == first.content
    # nginx does not pass its instruction on to the browser.
    assert "X-Accel-Expires" not in second.headers
    time.sleep(WHOLE_SECONDS)
    later = requests.get(nginx.base + DASHBOARD, timeout=30)
    assert cache_status(later) in ("EXPIRED", "MISS")


def test_a_signed_in_page_always_reaches_pantau(nginx, server):
    secretariat = signed_in(nginx, server, SECRETARIAT)
    for response in fresh_page(nginx, DASHBOARD, secretariat):
        assert response.status_code == 200
        assert cache_status(response) == "BYPASS"
        assert 'action="/logout"' in response.text
    # The visitor's kept page next to it shows no one's account.
    for response in fresh_page(nginx, DASHBOARD):
        assert 'action="/logout"' not in response.text
        assert SECRETARIAT not in response.text


def test_a_form_with_its_token_is_never_kept(nginx):
    """Two visitors one after the other: each gets a form with a token of their own."""
    time.sleep(WHOLE_SECONDS)
    tokens = []
    for _ in range(2):
        response = requests.get(nginx.base + "/login", timeout=30)
        assert response.status_code == 200
        assert cache_status(response) != "HIT"
        tokens.append(re.search(r'name="_csrf" value="([^"]+)"', response.text).group(1))
    assert tokens[0] != tokens[1]


def test_each_language_is_its_own_page(nginx):
    english = requests.Session()
    english.cookies.set("pantau_lang", "en")
    for response in kept_pair(nginx, DASHBOARD, english):
        assert '<html lang="en"' in response.text
    assert cache_status(response) == "HIT"
    for response in kept_pair(nginx, DASHBOARD):
        assert '<html lang="id"' in response.text
    assert cache_status(response) == "HIT"


def test_an_api_call_with_a_token_always_reaches_pantau(nginx):
    with_token = requests.Session()
    with_token.headers["Authorization"] = "Bearer pantau_bukan-token"
    for response in fresh_page(nginx, "/api/v1/plans/ran-ogi-2020-2022", with_token):
        assert response.status_code == 401
        assert cache_status(response) == "BYPASS"
    # Without one it is open data, the same for everyone, and kept like a page.
    first, second = kept_pair(nginx, "/api/v1/plans/ran-ogi-2020-2022")
    assert first.status_code == 200 and cache_status(second) == "HIT"
