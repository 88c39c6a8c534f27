#!/usr/bin/env python3
"""Full-page screenshots of Pantau's public pages, for reading them as a person would.

Starts `pantau serve --demo` on a fresh temporary data folder and a free loopback port, creates some results
with the same flow as tests/browser/test_reporting_cycle.py (the secretariat opens the reporting window of
ran-ogi-2020-2022 · B06, implementers report, one with a PDF as public evidence, the secretariat scores the
reports Baik, Cukup, Kurang and N/A and publishes the semester), then, in headless Chromium, saves full-page
PNGs of the public pages at 375 px (mobile emulation) and 1280 px, in Indonesian (default) and English
(?lang=en):

  home /, plan /plans/ran-ogi-2020-2022, its dashboard, the commitment of the first scored target, the
  evaluation report of B06, /search?q=pengaduan, /data, and an organisation page reached from the plan page.

It also prints the evaluation report with Chrome's print (A4, no backgrounds) to PDF in both languages and
turns every page into a grayscale PNG with `pdftoppm -gray -r 60`, to check that charts and colours still read
in black and white. Finally it writes checks.txt: per screenshot, the elements sticking out of the viewport,
text that looks like an untranslated key ("dashboard.x"), words of the other language in headings, labels and
chips, chart text rendered under 11 px, and tables whose header row the narrow-screen rule hides.

Environment:
  PANTAU_BINARY       the built server (default /tmp/pantau-for-helper2)
  PANTAU_HOME         the folder with Resources/ and Public/ for that binary (default /tmp/pantau-home2)
  PANTAU_SCREENSHOTS  the output folder (default <repo>/test-output/screenshots); old PNG/PDF files in it go
  CHROMIUM, CHROMEDRIVER  the browser and its driver (default /usr/bin/chromium, /usr/bin/chromedriver)

Usage:  python3 scripts/screenshots.py
"""

from __future__ import annotations

import base64
import datetime
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "browser"))
from pantau_server import Server, minimal_pdf, wib_today  # noqa: E402
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

REPO_ROOT = Path(__file__).resolve().parents[1]
BINARY = os.environ.get("PANTAU_BINARY", "/tmp/pantau-for-helper2")
PANTAU_HOME = os.environ.get("PANTAU_HOME", "/tmp/pantau-home2")
OUTPUT_DIR = Path(os.environ.get("PANTAU_SCREENSHOTS", str(REPO_ROOT / "test-output" / "screenshots")))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")

PLAN = "ran-ogi-2020-2022"
SEMESTER = "B06"
SECRETARIAT = "sekretariat@pantau.local"
IMPLEMENTERS = ("demo.kl@pantau.local", "demo.oms@pantau.local")
STARTUP_TIMEOUT = 90
WAIT = 20
MOBILE = (375, 812)
DESKTOP = (1280, 1000)

# What the implementers report and the secretariat gives: (achievement, progress, score or None for N/A).
REPORTS = [
    ("Pedoman keterbukaan data disusun bersama OMS, diuji di dua kantor wilayah, dan ditetapkan dengan surat "
     "keputusan; daftar hadir rapat dilampirkan.", "100", "85"),
    ("Konsultasi publik dilakukan di tiga provinsi; rancangan pedoman masih dibahas.", "60", "60"),
    ("Kegiatan baru sebatas rapat persiapan internal.", "20", "35"),
    ("Target tidak dapat dilaksanakan karena perubahan regulasi.", "0", None),
]
NA_REASON = "Target dihapus setelah revisi regulasi."


def log(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------------------------------------------------
# The server (as in tests/browser/test_reporting_cycle.py)


# ---------------------------------------------------------------------------------------------------------
# The browser


def make_driver(mobile: bool) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--lang=id-ID",
                     "--hide-scrollbars", f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
        options.add_argument(argument)
    if mobile:
        options.add_experimental_option("mobileEmulation", {
            "deviceMetrics": {"width": MOBILE[0], "height": MOBILE[1], "pixelRatio": 1}})
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
    if not mobile:
        driver.set_window_size(*DESKTOP)
    driver.set_page_load_timeout(60)
    return driver


class Browser:
    def __init__(self, driver: webdriver.Chrome, server: Server, mobile: bool) -> None:
        self.driver = driver
        self.server = server
        self.mobile = mobile

    def wait_for(self, condition, what: str, timeout: float = WAIT):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(
                condition)
        except TimeoutException:
            body = self.driver.find_element(By.TAG_NAME, "body").text[:1500]
            raise SystemExit(f"waited {timeout}s for {what}, in vain, at {self.driver.current_url}\n{body}") from None

    def open(self, path: str) -> None:
        self.driver.get(path if path.startswith("http") else self.server.base_url + path)
        self.wait_for(lambda d: d.execute_script("return document.readyState") == "complete", f"{path} to load")

    def submit(self, button) -> None:
        """Clicks a button that loads a new page, waits for it, and stops on an error page."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
        button.click()
        self.wait_for(lambda d: gone(old), "the next page after the click")
        self.wait_for(lambda d: d.execute_script("return document.readyState") == "complete", "the next page")
        alerts = self.driver.find_elements(By.CSS_SELECTOR, "main .alert")
        if alerts:
            raise SystemExit(f"error at {self.driver.current_url}: {alerts[0].text}")

    def button(self, scope, text: str):
        found = [b for b in scope.find_elements(By.TAG_NAME, "button") if b.text.strip() == text]
        if not found:
            raise SystemExit(f"no button {text!r} at {self.driver.current_url}")
        return found[0]

    def type_into(self, element, text: str) -> None:
        element.clear()
        element.send_keys(text)

    def sign_in(self, email: str) -> None:
        self.open("/login")
        self.type_into(self.driver.find_element(By.ID, "email"), email)
        self.type_into(self.driver.find_element(By.ID, "password"), self.server.passwords[email])
        self.submit(self.button(self.driver.find_element(By.CSS_SELECTOR, "main form"), "Masuk"))
        self.wait_for(lambda d: d.find_elements(By.XPATH, "//header//button[normalize-space()='Keluar']"),
                      f"{email} to be signed in")

    def sign_out(self) -> None:
        self.submit(self.button(self.driver.find_element(By.CSS_SELECTOR, "header"), "Keluar"))
        self.driver.delete_all_cookies()

    # Full-page screenshots

    def page_height(self) -> int:
        return int(self.driver.execute_script(
            "return Math.max(document.body.scrollHeight, document.documentElement.scrollHeight);"))

    def screenshot(self, path: Path) -> None:
        if self.mobile:
            # Mobile emulation fixes the viewport, so make the emulated screen as tall as the page instead.
            height = self.page_height()
            metrics = {"width": MOBILE[0], "height": max(MOBILE[1], height), "deviceScaleFactor": 1, "mobile": True}
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
            try:
                time.sleep(0.2)
                self.driver.execute_script("window.scrollTo(0, 0);")
                self.driver.save_screenshot(str(path))
            finally:
                self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", dict(metrics, height=MOBILE[1]))
        else:
            height, chrome = self.driver.execute_script(
                "return [Math.max(document.body.scrollHeight, document.documentElement.scrollHeight),"
                " window.outerHeight - window.innerHeight];")
            self.driver.set_window_size(DESKTOP[0], max(DESKTOP[1], int(height) + max(0, int(chrome))))
            try:
                time.sleep(0.2)
                self.driver.execute_script("window.scrollTo(0, 0);")
                self.driver.save_screenshot(str(path))
            finally:
                self.driver.set_window_size(*DESKTOP)


def gone(element) -> bool:
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error) or "No node with given id" in str(error):
            return True
        raise




# ---------------------------------------------------------------------------------------------------------
# The data: a reporting cycle with several scored reports


def semester_article(browser: Browser):
    for article in browser.driver.find_elements(By.CSS_SELECTOR, "main article"):
        if article.find_element(By.TAG_NAME, "h2").text.startswith(f"{PLAN} · {SEMESTER}"):
            return article
    raise SystemExit(f"no semester {PLAN} · {SEMESTER} on the semesters page")


def open_window(browser: Browser) -> None:
    today = wib_today()
    # Reporting closes today and verification opens today, so reporting and scoring both happen on this run's day.
    days = {"reportOpens": today - datetime.timedelta(days=3), "reportCloses": today,
            "verifyOpens": today, "verifyCloses": today + datetime.timedelta(days=7)}
    browser.sign_in(SECRETARIAT)
    browser.open("/admin/semesters")
    form = semester_article(browser).find_element(By.CSS_SELECTOR, "form[action$='/window']")
    for name, day in days.items():
        browser.driver.execute_script("arguments[0].value = arguments[1];", form.find_element(By.NAME, name),
                                      day.isoformat())
    browser.submit(browser.button(form, "Simpan periode"))
    browser.sign_out()


def report_targets(browser: Browser, email: str, count: int, evidence: Path | None) -> list[tuple[str, int]]:
    """Signed in as `email`, reports on the first `count` B06 targets; returns (target, commitment number)."""
    driver = browser.driver
    browser.sign_in(email)
    browser.open("/report")
    links = []
    for row in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells and cells[0].text.strip() == f"{PLAN} · {SEMESTER}":
            links.append(cells[2].find_element(By.TAG_NAME, "a").get_attribute("href"))
    done = []
    for href in links[:count]:
        achievement, progress, _ = REPORTS[len(done) + len(browser.reported)]
        browser.open(href)
        target = field(browser, "Target")
        number = int(re.match(r"(\d+)\.", field(browser, "Komitmen")).group(1))
        browser.type_into(driver.find_element(By.ID, "achievement"), achievement)
        browser.type_into(driver.find_element(By.ID, "progress"), progress)
        browser.submit(browser.button(driver.find_element(By.CSS_SELECTOR, "main"), "Simpan draf"))
        if evidence is not None and not done:
            upload = driver.find_element(By.CSS_SELECTOR, "form[enctype='multipart/form-data']")
            upload.find_element(By.ID, "file").send_keys(str(evidence))
            browser.type_into(upload.find_element(By.ID, "description"), "Notulen rapat konsultasi publik")
            browser.submit(browser.button(upload, "Tambahkan"))
        browser.submit(browser.button(driver.find_element(By.CSS_SELECTOR, "main"), "Serahkan laporan"))
        done.append((target, number))
    browser.sign_out()
    browser.reported.extend(done)
    return done


def field(browser: Browser, label: str) -> str:
    for term in browser.driver.find_elements(By.CSS_SELECTOR, "dl.parties dt"):
        if term.text.strip() == label:
            return term.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
    raise SystemExit(f"no {label!r} row at {browser.driver.current_url}")


def score_and_publish(browser: Browser) -> None:
    driver = browser.driver
    browser.sign_in(SECRETARIAT)
    used: set[str] = set()
    for index, (target, _) in enumerate(browser.reported):
        score = REPORTS[index][2]
        browser.open("/verify")
        rows = driver.find_elements(By.XPATH, "//table//tr[td/a]")
        hrefs = [r.find_element(By.XPATH, "td/a").get_attribute("href") for r in rows
                 if r.find_element(By.XPATH, "td/a").text.strip() == target
                 and r.find_element(By.XPATH, "td/a").get_attribute("href") not in used]
        if not hrefs:
            raise SystemExit(f"the report of {target!r} is not in the verification queue")
        used.add(hrefs[0])
        browser.open(hrefs[0])
        form = driver.find_element(By.ID, "score").find_element(By.XPATH, "./ancestor::form")
        if score is None:
            form.find_element(By.NAME, "notApplicable").click()
            browser.type_into(form.find_element(By.ID, "reason"), NA_REASON)
        else:
            browser.type_into(driver.find_element(By.ID, "score"), score)
        browser.submit(browser.button(form, "Simpan nilai"))
    # Publishing goes through its check; the semester is incomplete (most targets unreported), so it takes a reason.
    browser.open(f"/admin/plans/{PLAN}/publish/{SEMESTER}")
    form = driver.find_element(By.ID, "reason").find_element(By.XPATH, "./ancestor::form")
    browser.type_into(form.find_element(By.ID, "reason"), "Hasil sementara untuk tangkapan layar.")
    form.find_element(By.NAME, "confirm").click()
    browser.submit(browser.button(form, f"Publikasikan {SEMESTER}"))
    browser.sign_out()


def make_results(server: Server) -> int:
    """Runs the cycle in a desktop browser; returns the commitment number of the first scored target."""
    folder = Path(tempfile.mkdtemp(prefix="pantau-screenshots-upload-"))
    evidence = folder / "notulen-konsultasi-publik.pdf"
    evidence.write_bytes(minimal_pdf("Notulen rapat konsultasi publik - uji Pantau"))
    driver = make_driver(mobile=False)
    try:
        browser = Browser(driver, server, mobile=False)
        browser.reported = []
        log("setting the reporting window of B06")
        open_window(browser)
        log("demo.kl reports")
        report_targets(browser, IMPLEMENTERS[0], 3, evidence)
        log("demo.oms reports")
        report_targets(browser, IMPLEMENTERS[1], len(REPORTS) - len(browser.reported), None)
        log(f"scoring {len(browser.reported)} reports and publishing B06")
        score_and_publish(browser)
        return browser.reported[0][1]
    finally:
        driver.quit()
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------
# Screenshots and checks

CHECK_SCRIPT = r"""
const width = document.documentElement.clientWidth;
const wide = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width === 0 || r.right <= width + 1) continue;
  // keep the innermost offenders only
  if ([...el.children].some(c => c.getBoundingClientRect().right > width + 1)) continue;
  const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\s+/).join('.') : '');
  wide.push(name + ' right=' + Math.round(r.right) + ' "' + (el.textContent || '').trim().slice(0, 50) + '"');
}
// Text written by the templates rather than taken from the plans: headings, labels, table headers, chips, chart text
// (link text is left out, since links mostly carry plan data such as titles and organisation names).
const chrome = [];
for (const el of document.querySelectorAll('h2, h3, h4, th, dt, label, button, nav, .chip, .lead, svg text')) {
  const copy = el.cloneNode(true);
  copy.querySelectorAll && copy.querySelectorAll('a').forEach(a => a.remove());
  chrome.push(copy.textContent);
}
// Chart text as rendered: the SVG is scaled to its box, so its 12 px text shrinks with it.
let smallest = null;
for (const svg of document.querySelectorAll('svg.chart')) {
  const box = svg.viewBox && svg.viewBox.baseVal;
  if (!box || !box.width) continue;
  const scale = svg.getBoundingClientRect().width / box.width;
  for (const t of svg.querySelectorAll('text')) {
    const px = parseFloat(getComputedStyle(t).fontSize) * scale;
    if (smallest === null || px < smallest) smallest = px;
  }
}
// Tables whose header row is hidden at this width (the narrow-screen rule stacks their cells) and whose cells
// do not carry their column's name instead.
const headless = [];
for (const table of document.querySelectorAll('table')) {
  const head = table.querySelector('thead');
  const cells = [...table.querySelectorAll('tbody td')];
  const labelled = cells.length > 0 && cells.every(td => td.dataset.label);
  if (head && getComputedStyle(head).display === 'none' && !labelled) {
    headless.push((table.className || 'table') + ' [' + [...head.querySelectorAll('th')].map(th => th.textContent.trim()).join(' | ') + ']');
  }
}
return {scrollWidth: document.documentElement.scrollWidth, width: width, wide: wide.slice(0, 15),
        text: document.body.innerText, chrome: chrome.join('\n'), lang: document.documentElement.lang,
        smallestChartText: smallest, headless: headless};
"""
KEY_PATTERN = re.compile(r"(?<![\w/.@-])(?:app|nav|plan|plans|dashboard|commitment|result|evaluation|search|data|"
                         r"organisation|report|format|language|feed|semester|verify|evidence|admin|login|kind|"
                         r"category|rating|status|meeting|history)\.[a-z_]+(?:\.[a-z_]+)*(?![\w-])")
# Words of the other language in the template-written text (plan data is Indonesian on both, so it is left out).
INDONESIAN_WORDS = {"dan", "yang", "untuk", "dengan", "dari", "tidak", "belum", "rencana", "komitmen", "capaian",
                    "kemajuan", "nilai", "lembaga", "periode", "laporan", "hasil", "kurang", "cukup", "baik", "masuk",
                    "cari", "unduh", "kolom", "arti", "semua", "jumlah", "kategori", "lampiran", "penanggung", "jawab",
                    "ukuran", "keberhasilan", "sasaran", "dinilai", "menurut", "persen", "tenggat", "skema"}
ENGLISH_WORDS = {"the", "and", "of", "with", "from", "not", "plan", "plans", "commitment", "commitments", "score",
                 "report", "results", "download", "column", "meaning", "all", "search", "sign", "progress", "good",
                 "fair", "poor", "category", "count", "percent", "measure", "goal", "yet", "scored", "by"}
SMALLEST_READABLE = 11.0  # px


def check_page(driver, english: bool) -> list[str]:
    found = driver.execute_script(CHECK_SCRIPT)
    notes = []
    if found["scrollWidth"] > found["width"] + 1:
        notes.append(f"page is {found['scrollWidth']} px wide in a {found['width']} px viewport")
    for item in found["wide"]:
        notes.append(f"sticks out: {item}")
    keys = sorted(set(KEY_PATTERN.findall(found["text"])))
    if keys:
        notes.append(f"untranslated-looking keys: {keys}")
    foreign = INDONESIAN_WORDS if english else ENGLISH_WORDS
    hits: dict[str, int] = {}
    for word in re.findall(r"[A-Za-z]+", found["chrome"]):
        if word.lower() in foreign:
            hits[word.lower()] = hits.get(word.lower(), 0) + 1
    if hits:
        listing = ", ".join(f"{w}×{n}" for w, n in sorted(hits.items(), key=lambda kv: -kv[1]))
        notes.append(f"{'Indonesian' if english else 'English'} words in headings/labels/chips: {listing}")
    if found["lang"] != ("en" if english else "id"):
        notes.append(f"<html lang={found['lang']!r}>")
    if found["smallestChartText"] is not None and found["smallestChartText"] < SMALLEST_READABLE:
        notes.append(f"chart text rendered at {found['smallestChartText']:.1f} px (under {SMALLEST_READABLE:g} px)")
    for table in found["headless"]:
        notes.append(f"table stacked without its header row: {table}")
    return notes


def pages(commitment: int, organisation: str) -> list[tuple[str, str]]:
    return [
        ("01-home", "/"),
        ("02-plan", f"/plans/{PLAN}"),
        ("03-dashboard", f"/plans/{PLAN}/dashboard"),
        ("04-commitment", f"/plans/{PLAN}/commitments/{commitment}"),
        ("05-report", f"/plans/{PLAN}/report?period={SEMESTER}"),
        ("06-search", "/search?q=pengaduan"),
        ("07-data", "/data"),
        ("08-organisation", organisation),
    ]


def with_lang(path: str, english: bool) -> str:
    if not english:
        return path
    return path + ("&" if "?" in path else "?") + "lang=en"


def find_organisation(browser: Browser) -> str:
    """Follows the link of the organisation that was scored, from the plan page (falls back to the first)."""
    browser.open(f"/plans/{PLAN}")
    links = browser.driver.find_elements(By.CSS_SELECTOR, "main a.org")
    if not links:
        raise SystemExit("the plan page links to no organisation")
    chosen = next((a for a in links if a.get_attribute("title") == "Kementerian Hukum dan HAM"), links[0])
    browser.submit(chosen)
    return browser.driver.current_url.replace(browser.server.base_url, "")


def take_screenshots(server: Server, commitment: int, checks: list[str]) -> None:
    for mobile in (True, False):
        width = MOBILE[0] if mobile else DESKTOP[0]
        driver = make_driver(mobile)
        try:
            browser = Browser(driver, server, mobile)
            organisation = find_organisation(browser)
            for english in (False, True):
                lang = "en" if english else "id"
                for name, path in pages(commitment, organisation):
                    browser.open(with_lang(path, english))
                    file = OUTPUT_DIR / f"{width}-{lang}-{name}.png"
                    browser.screenshot(file)
                    notes = check_page(driver, english)
                    checks.append(f"{file.name}  ({with_lang(path, english)})")
                    checks.extend(f"    {note}" for note in notes or ["ok"])
                    log(f"saved {file.name}")
        finally:
            driver.quit()


def print_report(server: Server) -> None:
    driver = make_driver(mobile=False)
    try:
        browser = Browser(driver, server, mobile=False)
        for english in (False, True):
            lang = "en" if english else "id"
            browser.open(with_lang(f"/plans/{PLAN}/report?period={SEMESTER}", english))
            pdf = driver.execute_cdp_cmd("Page.printToPDF", {
                "paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False, "preferCSSPageSize": True})
            path = OUTPUT_DIR / f"print-{lang}-report.pdf"
            path.write_bytes(base64.b64decode(pdf["data"]))
            log(f"saved {path.name}")
            if shutil.which("pdftoppm") is None:
                log("pdftoppm is missing (apt-get install -y poppler-utils): no grayscale pages")
                continue
            subprocess.run(["pdftoppm", "-gray", "-r", "60", "-png", str(path),
                            str(OUTPUT_DIR / f"print-{lang}-report-gray")], check=True)
            log(f"saved {len(list(OUTPUT_DIR.glob(f'print-{lang}-report-gray*.png')))} grayscale pages")
    finally:
        driver.quit()


def main() -> int:
    if not os.access(BINARY, os.X_OK):
        print(f"Pantau binary {BINARY} not found or not executable (set PANTAU_BINARY)", file=sys.stderr)
        return 2
    # SIGTERM ends the run like Ctrl+C does, so the server is still stopped and its data folder removed.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    for old in [*OUTPUT_DIR.glob("*.png"), *OUTPUT_DIR.glob("*.pdf"), *OUTPUT_DIR.glob("checks.txt")]:
        old.unlink()
    server = Server(BINARY, PANTAU_HOME, (SECRETARIAT, *IMPLEMENTERS), STARTUP_TIMEOUT)
    try:
        server.wait_until_ready()
        log(f"server ready at {server.base_url}")
        commitment = make_results(server)
        checks: list[str] = []
        take_screenshots(server, commitment, checks)
        print_report(server)
        (OUTPUT_DIR / "checks.txt").write_text("\n".join(checks) + "\n", encoding="utf-8")
        log(f"checks written to {OUTPUT_DIR / 'checks.txt'}")
    except BaseException:
        print(server.log(), file=sys.stderr)
        raise
    finally:
        server.stop()
    log(f"done: {OUTPUT_DIR}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
