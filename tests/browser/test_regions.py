"""A region runs its own semester while the national overview shows it (headless Chromium through Selenium).

The national secretariat starts a made-up region, "Kota Contoh" (city), with its plan from a CSV file and its first
secretariat account, then gives a made-up city agency's implementer an account. The regional secretariat opens its
plan's B06 window (seeing no national semester to manage) and is refused the national plan's pages. The implementer
reports; the regional secretariat scores and publishes B06 (with a reason: one target was not reported). The national
secretariat's overview of the half year then shows the city's plan published, with its numbers. Screenshots after
each step. The plan and its organisations are invented for the test; nothing here pretends to be a real region's.

Environment: as test_reporting_cycle.py (PANTAU_BINARY, PANTAU_HOME, PANTAU_TEST_OUTPUT, CHROMIUM, CHROMEDRIVER).
"""

from __future__ import annotations

import csv
import datetime
import tempfile
from pathlib import Path

from pantau_browser import Visit
from pantau_server import Server, wib_today
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

SECRETARIAT = "sekretariat@pantau.local"
REGIONAL = "bappeda@kota-contoh.test"
IMPLEMENTER = "kominfo@kota-contoh.test"
AGENCY = "Dinas Kominfo Kota Contoh"
PLAN = "kota-contoh-uji"
NATIONAL = "ran-ogi-2020-2022"


def plan_csv(folder: Path) -> Path:
    """Two commitments, the first semester starting six months before this one ends: B06 is the current semester."""
    today = wib_today()
    start_month = 1 if today.month <= 6 else 7
    start = datetime.date(today.year, start_month, 1)
    last = start.year * 12 + start.month - 1 + 23  # 24 months
    end = f"{last // 12}-{last % 12 + 1:02d}"
    path = folder / "kota-contoh.csv"
    header = ["plan_code", "plan_title", "plan_period_start", "plan_period_end", "scoring_scheme", "commitment_number",
              "commitment_title", "goal_number", "goal", "measure_number", "measure", "responsible_organisation",
              "responsible_acronym", "responsible_kind", "expected_evidence", "semester", "target"]
    rows = []
    for number, title in ((1, "Layanan aduan warga Kota Contoh"), (2, "Data anggaran Kota Contoh terbuka")):
        for semester, target in (("B06", f"Tahap awal komitmen {number} selesai"), ("B12", f"Tahap kedua komitmen {number} selesai")):
            rows.append([PLAN, "Rencana Aksi Uji Kota Contoh", start.strftime("%Y-%m"), end, "ogi", number, title, 1,
                         f"Sasaran komitmen {number}", 1, f"Ukuran keberhasilan komitmen {number}", AGENCY, "DKKC",
                         "government_agency", "Laporan kegiatan", semester, target])
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def new_account(visit: Visit, name: str, email: str, role: str, organisation: str = "") -> str:
    driver = visit.driver
    visit.open("/admin/users")
    form = driver.find_element(By.CSS_SELECTOR, "form.card[action='/admin/users']")
    visit.type_into(form.find_element(By.ID, "name"), name)
    visit.type_into(form.find_element(By.ID, "email"), email)
    Select(form.find_element(By.ID, "role")).select_by_value(role)
    if organisation:
        visit.type_into(form.find_element(By.ID, "organisation"), organisation)
    visit.click_and_load(visit.button(form, "Simpan"))
    shown = driver.find_elements(By.CSS_SELECTOR, ".once")
    assert shown, f"no one-time password for {email}\n{visit.where()}"
    return shown[0].text.strip()


def test_a_region_runs_its_semester_while_the_nation_watches(server: Server, visit: Visit):
    driver = visit.driver
    folder = Path(tempfile.mkdtemp(prefix="pantau-region-"))

    visit.step = "1. the national secretariat starts Kota Contoh from a plan file"
    visit.sign_in(SECRETARIAT)
    visit.open("/admin/regions")
    visit.expect_heading("Mulai wilayah")
    form = driver.find_element(By.CSS_SELECTOR, "main form")
    visit.type_into(driver.find_element(By.ID, "jurisdictionName"), "Kota Contoh")
    Select(driver.find_element(By.ID, "jurisdictionKind")).select_by_value("city")
    visit.type_into(driver.find_element(By.ID, "secretariatName"), "Bappeda Kota Contoh")
    visit.type_into(driver.find_element(By.ID, "secretariatEmail"), REGIONAL)
    form.find_element(By.CSS_SELECTOR, "input[name='planSource'][value='file']").click()
    driver.find_element(By.ID, "planFile").send_keys(str(plan_csv(folder)))
    visit.click_and_load(visit.button(form, "Mulai wilayah"))
    visit.expect_notice("Wilayah Kota Contoh dimulai")
    server.passwords[REGIONAL] = driver.find_element(By.CSS_SELECTOR, ".once").text.strip()
    visit.screenshot("region-started")
    server.passwords[IMPLEMENTER] = new_account(visit, "Pelaksana Kominfo", IMPLEMENTER, "implementer", "DKKC")
    visit.sign_out()

    visit.step = "2. the regional secretariat opens its B06 window, and only its own"
    visit.sign_in(REGIONAL)
    visit.open("/admin/semesters")
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main article h2")]
    assert headings and all(h.startswith(PLAN) for h in headings), f"semesters not of the region's plan: {headings}\n{visit.where()}"
    today = wib_today()
    days = {"reportOpens": today - datetime.timedelta(days=3), "reportCloses": today,
            "verifyOpens": today, "verifyCloses": today + datetime.timedelta(days=7)}
    article = next(a for a in driver.find_elements(By.CSS_SELECTOR, "main article")
                   if a.find_element(By.TAG_NAME, "h2").text.startswith(f"{PLAN} · B06"))
    window = article.find_element(By.CSS_SELECTOR, "form[action$='/window']")
    for name, day in days.items():
        driver.execute_script("arguments[0].value = arguments[1];", window.find_element(By.NAME, name), day.isoformat())
    visit.click_and_load(visit.button(window, "Simpan periode"))
    visit.screenshot("window-opened")

    visit.step = "3. the national plan is not the region's"
    for path in (f"/verify/plans/{NATIONAL}/B06", f"/admin/plans/{NATIONAL}/archive", f"/admin/plans/{NATIONAL}/publish/B06"):
        visit.open(path)
        visit.wait_text("Akun Anda tidak berhak melakukan ini.", f"the refusal of {path}")
    visit.sign_out()

    visit.step = "4. the city's agency reports on its first target"
    visit.sign_in(IMPLEMENTER)
    visit.open("/report")
    links = [a.get_attribute("href") for a in driver.find_elements(By.CSS_SELECTOR, "table.list tbody a")
             if "Tahap awal komitmen 1" in a.text]
    assert links, f"the city's B06 target is not owed\n{visit.where()}"
    driver.get(links[0])
    visit.type_into(driver.find_element(By.ID, "achievement"), "Kanal aduan dibuka dan SOP ditetapkan.")
    visit.type_into(driver.find_element(By.ID, "progress"), "100")
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Serahkan laporan"))
    visit.sign_out()

    visit.step = "5. the regional secretariat scores and publishes B06"
    visit.sign_in(REGIONAL)
    visit.open(f"/verify?plan={PLAN}")
    visit.click_and_load(driver.find_element(By.PARTIAL_LINK_TEXT, "Tahap awal komitmen 1"))
    score = driver.find_element(By.CSS_SELECTOR, "form[action$='/score']")
    visit.type_into(score.find_element(By.NAME, "score"), "90")
    visit.click_and_load(score.find_element(By.TAG_NAME, "button"))
    visit.open(f"/admin/plans/{PLAN}/publish/B06")
    publish = driver.find_element(By.CSS_SELECTOR, "main form[action$='/publish/B06']")
    checkbox = publish.find_elements(By.NAME, "confirm")
    if checkbox:
        checkbox[0].click()
    reason = publish.find_elements(By.NAME, "reason")
    if reason:
        visit.type_into(reason[0], "Komitmen 2 belum melapor; diterbitkan sesuai jadwal.")
    visit.click_and_load(publish.find_elements(By.TAG_NAME, "button")[-1])
    visit.screenshot("published")
    visit.sign_out()

    visit.step = "6. the national overview shows the city's semester"
    visit.sign_in(SECRETARIAT)
    half = f"{today.year}-{1 if today.month <= 6 else 2}"
    visit.open(f"/overview?period={half}&kind=city")
    rows = [r for r in driver.find_elements(By.CSS_SELECTOR, "main table.list tbody tr") if "Kota Contoh" in r.text]
    assert rows, f"Kota Contoh is not in the overview\n{visit.where()}"
    assert "Belum diterbitkan" not in rows[0].text, f"the city's semester is not shown published\n{visit.where()}"
    assert "90" in rows[0].text or "1/2" in rows[0].text, f"the city's numbers are missing\n{visit.where()}"
    visit.screenshot("national-overview")
