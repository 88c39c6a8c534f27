"""Every kind of page, as every role, in both languages, on a phone and a desktop: WCAG 2.1 AA and what reads badly.

After making something to show on every page (pantau_results), the test opens each kind of page as the visitor,
the ministry's implementer, a CSO, a reviewer and the secretariat, in Indonesian and English, at 375 px (phone
emulation) and 1280 px, and on each:

- runs axe-core 4.12 (from PyPI's axe-playwright-python, injected through Selenium) with the WCAG 2.0/2.1 A and
  AA rules, and collects every violation;
- checks what axe cannot judge: Indonesian plan text on English pages is marked lang="id"; the main navigation
  has a label of its own and marks the current section with aria-current; every table has a caption; a
  dashboard cell says its category in words; chart text is at least 12 px as drawn; nothing makes the page
  scroll sideways; no localisation key shows instead of text;
- saves a full-page screenshot, <output>/pages/<width>-<lang>-<role>-<page>.png, to be looked at.

Two more tests walk the implementer's report form and the secretariat's commitment editor with the keyboard
only (Tab, typing, Enter), checking that every focused control shows a visible focus outline.
"""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from conftest import AGENCY_IMPLEMENTER, CSO_IMPLEMENTER, MONITOR, REVIEWER, SECRETARIAT
from pantau_browser import Visit
from pantau_results import DRAFT_PLAN, PLAN, SEMESTER, Results, make_results
from pantau_server import minimal_pdf
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.common.action_chains import ActionChains

WIDTHS = (375, 1280)
LANGUAGES = ("id", "en")
SMALLEST_CHART_TEXT = 12.0  # px, as drawn on the screen
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_source() -> str:
    import axe_playwright_python  # only its bundled axe.min.js is used, so it is installed with --no-deps

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


@dataclass(frozen=True)
class Page:
    role: str  # who looks: visitor, implementer, cso, reviewer, secretariat
    name: str
    path: str


def pages(results: Results, organisation: str, user: str, proposal: str) -> list[Page]:
    plan, number = f"/plans/{PLAN}", results.scored_commitment
    visitor = [
        ("home", "/"), ("plans", "/plans"), ("plan", plan), ("commitment", f"{plan}/commitments/{number}"),
        ("dashboard", f"{plan}/dashboard"), ("organisation", organisation), ("evaluation", f"{plan}/report"),
        ("versions", f"{plan}/versions"), ("version", f"{plan}/versions/1"), ("terms", "/terms"),
        ("search", "/search?q=pengaduan"), ("search-empty", "/search"), ("data", "/data"), ("meetings", "/meetings"),
        ("meeting", results.meeting), ("cocreation", "/cocreation"), ("cocreation-plan", f"/cocreation/plans/{DRAFT_PLAN}"),
        ("login", "/login"), ("not-found", "/plans/tidak-ada"), ("overview", "/overview"), ("organisations", "/organisations?q=kementerian"),
        ("overview-year", "/overview?year=2021&sort=coverage&order=desc"), ("forum", f"{plan}/forum"), ("proposal", proposal),
    ]
    implementer = [
        ("work", "/work"), ("report-owed", "/report"), ("report-published", results.owed_target),
        ("report-form", results.open_target), ("account", "/account"),
    ]
    cso = [("proposal-form", f"/cocreation/plans/{DRAFT_PLAN}/proposals/new"), ("proposal", proposal)]
    reviewer = [("work", "/work"), ("verify-queue", "/verify")]
    monitor = [("work", "/work"), ("monitoring", f"/monitor/plans/{PLAN}/{SEMESTER}"), ("overview", "/overview")]
    secretariat = [
        ("work", "/work"), ("admin", "/admin"), ("organisations", "/admin/organisations"), ("users", "/admin/users"),
        ("user", user), ("plans-admin", "/admin/plans"), ("semesters", "/admin/semesters"),
        ("publication-check", f"/admin/plans/{PLAN}/publish/B12"), ("plan-archive", f"/admin/plans/{PLAN}/archive"),
        ("verify-queue", "/verify"),
        ("verify-report", results.queued_report), ("verify-scored", results.scored_report),
        ("assessments", f"/verify/plans/{PLAN}/{SEMESTER}"), ("meeting-form", "/meetings/new"),
        ("cocreation-plan", f"/cocreation/plans/{DRAFT_PLAN}"), ("commitment-editor", f"{plan}/commitments/{number}/edit"),
        ("evaluation-with-notes", f"{plan}/report?period={SEMESTER}"), ("evaluation-unpublished", f"{plan}/report?period=B12"),
        ("proposal", proposal), ("forum", f"{plan}/forum"),
    ]
    return [Page(role, name, path) for role, listing in (("visitor", visitor), ("implementer", implementer), ("cso", cso),
                                                         ("reviewer", reviewer), ("monitor", monitor), ("secretariat", secretariat))
            for name, path in listing]


ACCOUNTS = {"implementer": AGENCY_IMPLEMENTER, "cso": CSO_IMPLEMENTER, "reviewer": REVIEWER, "monitor": MONITOR,
            "secretariat": SECRETARIAT}

# What axe cannot judge, measured in the page as drawn. Indonesian text is recognised by its small words; on an
# English page such text must sit inside an element marked lang="id".
PAGE_CHECKS = r"""
const english = document.documentElement.lang === 'en';
const problems = [];
const markers = new Set(['dan', 'yang', 'untuk', 'dengan', 'dari', 'pada', 'dalam', 'atau', 'akan', 'tidak', 'telah',
  'oleh', 'ini', 'serta', 'melalui', 'secara', 'bagi', 'sudah', 'belum', 'masih', 'kepada', 'terhadap']);
if (english) {
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const reported = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const words = node.textContent.toLowerCase().match(/[a-z]+/g) || [];
    if (words.filter(w => markers.has(w)).length < 2) continue;
    const element = node.parentElement;
    if (!element || element.closest('script, style, [hidden]')) continue;
    const marked = element.closest('[lang]');
    if (marked && marked.lang.startsWith('id')) continue;
    const excerpt = node.textContent.trim().slice(0, 60);
    if (!reported.has(excerpt)) { reported.add(excerpt); problems.push('Indonesian text not marked lang="id": ' + element.tagName.toLowerCase() + ' "' + excerpt + '"'); }
  }
}
const nav = document.querySelector('header nav');
if (!nav || !nav.getAttribute('aria-label')) {
  problems.push('the main navigation has no aria-label');
} else {
  const links = [...nav.querySelectorAll('a[href]:not([hreflang])')];  // the language switch is no section
  if (links.some(a => a.textContent.trim() === nav.getAttribute('aria-label').trim())) problems.push('the navigation is labelled like one of its links');
  const path = location.pathname;
  const section = links.filter(a => { const p = new URL(a.href).pathname; return p !== '/' && (path === p || path.startsWith(p + '/')); })
    .sort((a, b) => new URL(b.href).pathname.length - new URL(a.href).pathname.length)[0];
  const current = links.filter(a => a.getAttribute('aria-current') === 'page');
  if (section && (current.length !== 1 || current[0] !== section)) problems.push('aria-current is not on the section link "' + section.textContent.trim() + '"');
  if (!section && current.length) problems.push('aria-current on "' + current[0].textContent.trim() + '" outside its section');
}
for (const table of document.querySelectorAll('table')) {
  const caption = table.querySelector('caption');
  if (!(caption && caption.textContent.trim()) && !table.getAttribute('aria-label') && !table.getAttribute('aria-labelledby')) {
    const head = [...table.querySelectorAll('th')].slice(0, 3).map(th => th.textContent.trim()).join(' | ');
    problems.push('table without a caption: [' + head + ']');
  }
}
for (const cell of document.querySelectorAll('td.cell')) {
  if (!cell.textContent.trim()) problems.push('a dashboard cell tells its category by colour only');
}
let smallest = null;
for (const svg of document.querySelectorAll('svg')) {
  const box = svg.viewBox && svg.viewBox.baseVal;
  const drawn = svg.getBoundingClientRect().width;
  if (!drawn) continue;
  const scale = box && box.width ? drawn / box.width : 1;
  for (const t of svg.querySelectorAll('text')) {
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (smallest === null || px < smallest) smallest = px;
  }
}
if (smallest !== null && smallest < arguments[0]) problems.push('chart text drawn at ' + smallest.toFixed(1) + ' px');
const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
if (overflow > 1) {
  const wide = [...document.querySelectorAll('main *')].filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
    && ![...el.children].some(c => c.getBoundingClientRect().right > document.documentElement.clientWidth + 1));
  problems.push('the page scrolls sideways by ' + overflow + ' px: ' + wide.slice(0, 3).map(el => el.tagName.toLowerCase() + '.' + el.className).join(', '));
}
const keys = (document.body.innerText.match(/(?<![\w\/.@-])(?:app|nav|plan|plans|dashboard|commitment|result|evaluation|search|data|organisation|report|form|language|feed|semester|verify|evidence|admin|login|category|rating|status|meeting|history|proposal|cocreation|editor|account|work|terms|period|monitoring|overview|requirements|completion|jurisdiction|forum|data)\.[a-z_]+(?![\w-])/g) || []);
if (keys.length) problems.push('localisation keys shown as text: ' + [...new Set(keys)].slice(0, 5).join(', '));
return problems;
"""

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})
  .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' +
    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '))))
  .catch(e => done(['axe failed: ' + e]));
"""


def with_language(path: str, language: str) -> str:
    return path + ("&" if "?" in path else "?") + "lang=" + language


def set_width(visit: Visit, width: int) -> None:
    if width < 1000:
        visit.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                     {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True})
    else:
        visit.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        visit.driver.set_window_size(width, 1000)


def full_page_screenshot(visit: Visit, width: int, path: Path) -> None:
    height = int(visit.driver.execute_script("return document.documentElement.scrollHeight;"))
    visit.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                 {"width": width, "height": max(800, height), "deviceScaleFactor": 1, "mobile": width < 1000})
    try:
        visit.driver.execute_script("window.scrollTo(0, 0);")
        visit.driver.save_screenshot(str(path))
    finally:
        set_width(visit, width)


@pytest.fixture(scope="module")
def results(visit: Visit, server) -> Results:
    folder = Path(tempfile.mkdtemp(prefix="pantau-browser-upload-"))
    evidence = folder / "notulen-konsultasi-publik.pdf"
    evidence.write_bytes(minimal_pdf("Notulen rapat konsultasi publik - uji Pantau"))
    try:
        return make_results(visit, SECRETARIAT, AGENCY_IMPLEMENTER, CSO_IMPLEMENTER, evidence)
    except BaseException:
        print(visit.where())
        print(server.log())
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def first_link(visit: Visit, path: str, pattern: str) -> str:
    visit.open(path)
    for link in visit.driver.find_elements(By.CSS_SELECTOR, "main a[href]"):
        href = link.get_attribute("href").replace(visit.server.base_url, "")
        if re.fullmatch(pattern, href):
            return href
    raise AssertionError(f"no link matching {pattern} on {path}\n{visit.where()}")


def test_every_page_passes_axe_and_reads_well(visit: Visit, server, results: Results):
    axe = axe_source()
    organisation = first_link(visit, f"/plans/{PLAN}/commitments/{results.scored_commitment}", r"/organisations/[0-9A-Fa-f-]{36}")
    visit.sign_in(SECRETARIAT)
    user = first_link(visit, "/admin/users", r"/admin/users/[0-9A-Fa-f-]{36}")
    visit.sign_out()
    listing = pages(results, organisation, user, results.proposal)
    found: list[str] = []
    signed_in = None
    try:
        for page in listing:
            if page.role != signed_in:
                if signed_in not in (None, "visitor"):
                    visit.open(with_language("/", "id"))
                    visit.sign_out()
                if page.role != "visitor":
                    visit.sign_in(ACCOUNTS[page.role])
                signed_in = page.role
            for language in LANGUAGES:
                for width in WIDTHS:
                    visit.step = f"{page.role} {page.name} {language} {width}px"
                    set_width(visit, width)
                    visit.open(with_language(page.path, language))
                    visit.driver.execute_script(axe)
                    for problem in visit.driver.execute_async_script(RUN_AXE, AXE_TAGS):
                        found.append(f"{visit.step} ({page.path}): axe {problem}")
                    for problem in visit.driver.execute_script(PAGE_CHECKS, SMALLEST_CHART_TEXT):
                        found.append(f"{visit.step} ({page.path}): {problem}")
                    full_page_screenshot(visit, width, visit.output / f"{width}-{language}-{page.role}-{page.name}.png")
    finally:
        set_width(visit, 1280)
        visit.open(with_language("/", "id"))
        if signed_in not in (None, "visitor"):
            visit.sign_out()
    assert not found, f"{len(found)} problems on {len(listing) * 4} pages:\n" + "\n".join(found)


def test_axe_and_the_checks_find_a_planted_fault(visit: Visit, server):
    """The walk above proves something only if its tools see faults: plant some and expect each to be found."""
    visit.open(with_language("/", "en"))
    visit.driver.execute_script("""
        document.querySelector('main').insertAdjacentHTML('beforeend',
          '<img src="/x.png"><table><tr><th>Kolom</th></tr></table><p>Rencana aksi ini disusun dengan masyarakat sipil.</p>');
        document.querySelector('header nav').removeAttribute('aria-label');""")
    visit.driver.execute_script(axe_source())
    axe_found = " ".join(visit.driver.execute_async_script(RUN_AXE, AXE_TAGS))
    checks_found = " ".join(visit.driver.execute_script(PAGE_CHECKS, SMALLEST_CHART_TEXT))
    assert "image-alt" in axe_found, axe_found
    assert "table without a caption" in checks_found, checks_found
    assert 'Indonesian text not marked lang="id"' in checks_found, checks_found
    assert "the main navigation has no aria-label" in checks_found, checks_found


def focus_is_visible(visit: Visit) -> bool:
    return visit.driver.execute_script("""
        const el = document.activeElement; const style = getComputedStyle(el);
        return (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2) || style.boxShadow !== 'none';""")


def tab_to(visit: Visit, selector: str, limit: int = 80) -> None:
    """Presses Tab until the element matching `selector` has the focus; every stop on the way must show it."""
    target = visit.driver.find_element(By.CSS_SELECTOR, selector)
    for _ in range(limit):
        ActionChains(visit.driver).send_keys(Keys.TAB).perform()
        active = visit.driver.switch_to.active_element
        name = active.get_attribute("id") or active.tag_name
        assert focus_is_visible(visit), f"the focus on {name!r} is not visible\n{visit.where()}"
        if active == target:
            return
    raise AssertionError(f"{selector} not reached with {limit} presses of Tab\n{visit.where()}")


def type_here(visit: Visit, text: str) -> None:
    ActionChains(visit.driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).send_keys(text).perform()


def press_enter_and_load(visit: Visit) -> None:
    old = visit.driver.find_element(By.TAG_NAME, "html")
    ActionChains(visit.driver).send_keys(Keys.ENTER).perform()
    visit.await_next_page(old, "Enter")


def test_the_report_form_with_the_keyboard_only(visit: Visit, results: Results):
    visit.sign_in(AGENCY_IMPLEMENTER)
    try:
        visit.open("/report")
        visit.open(results.open_target)  # B06 is published and frozen; this B12 target is open and untouched
        visit.driver.find_element(By.TAG_NAME, "body").click()  # focus starts at the top of the page
        tab_to(visit, "#achievement")
        type_here(visit, "Rapat persiapan dengan tiga kantor wilayah sudah dilakukan.")
        tab_to(visit, "#progress")
        type_here(visit, "30")
        tab_to(visit, "button[value='save']")
        press_enter_and_load(visit)
        visit.expect_notice("Draf disimpan.")
        assert visit.driver.find_element(By.ID, "achievement").get_attribute("value") == \
            "Rapat persiapan dengan tiga kantor wilayah sudah dilakukan.", visit.where()
        assert visit.driver.find_element(By.ID, "progress").get_attribute("value") == "30", visit.where()
    finally:
        visit.sign_out()


PROBLEM_TYPED = "Penyandang disabilitas belum mendapat akomodasi yang layak di setiap tahap peradilan."


def test_the_commitment_editor_with_the_keyboard_only(visit: Visit, results: Results):
    visit.sign_in(SECRETARIAT)
    try:
        path = f"/plans/{PLAN}/commitments/{results.scored_commitment}"
        visit.open(path + "/edit")
        visit.driver.find_element(By.TAG_NAME, "body").click()
        tab_to(visit, "#problem")
        type_here(visit, PROBLEM_TYPED)
        tab_to(visit, "#reason", limit=400)
        type_here(visit, "Rumusan permasalahan disesuaikan dengan dokumen RAN.")
        tab_to(visit, "main form button[type='submit']")
        press_enter_and_load(visit)
        visit.expect_notice("Komitmen disimpan.")
        visit.open(path)
        visit.assert_text(PROBLEM_TYPED, "the problem typed with the keyboard")
    finally:
        visit.sign_out()


def test_the_evaluation_report_on_paper(visit: Visit, results: Results):
    """The report printed to A4 without backgrounds, in both languages (saved beside the screenshots, to be looked at,
    in grayscale too): the navigation is left off and every chart keeps its data table next to it."""
    for language in LANGUAGES:
        visit.open(with_language(f"/plans/{PLAN}/report?period={SEMESTER}", language))
        visit.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            nav_shown = visit.driver.execute_script("return getComputedStyle(document.querySelector('header nav')).display;")
            charts, tables = visit.driver.execute_script(
                "return [document.querySelectorAll('.chart-and-table svg').length,"
                " document.querySelectorAll('.chart-and-table table').length];")
        finally:
            visit.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        assert nav_shown == "none", f"the navigation is printed ({language})"
        assert charts > 0 and charts == tables, f"{charts} charts, {tables} tables beside them ({language})"
        pdf = visit.driver.execute_cdp_cmd("Page.printToPDF", {
            "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False, "preferCSSPageSize": True})
        printed = base64.b64decode(pdf["data"])
        assert printed.startswith(b"%PDF") and printed.count(b"/Type /Page") >= 2, f"the {language} report printed badly"
        (visit.output / f"print-{language}-evaluation.pdf").write_bytes(printed)
        if shutil.which("pdftoppm"):
            subprocess.run(["pdftoppm", "-gray", "-r", "60", "-png", str(visit.output / f"print-{language}-evaluation.pdf"),
                            str(visit.output / f"print-{language}-evaluation-gray")], check=True)
