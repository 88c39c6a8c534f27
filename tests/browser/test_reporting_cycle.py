"""End-to-end test of one whole reporting cycle in a real browser (headless Chromium through Selenium).

The secretariat opens the reporting window of ran-ogi-2020-2022 · B06, the ministry's implementer writes,
documents and submits a report, the secretariat asks for clarification, the implementer answers and submits
again, the secretariat scores and publishes, and a visitor without an account sees the result and downloads
the public evidence. Every step is done with clicks and typing on the server-rendered pages, and a full-page
screenshot is saved after each step.

Environment:
  PANTAU_BINARY       the built server (default /tmp/pantau-for-helper)
  PANTAU_HOME         the repository root with Resources/ and Public/ (default: computed from this file)
  PANTAU_TEST_OUTPUT  where the screenshots go (default <repo>/test-output/browser)
  CHROMIUM, CHROMEDRIVER  the browser and its driver (default /usr/bin/chromium, /usr/bin/chromedriver)
"""

from __future__ import annotations

import datetime
import re
import shutil
import tempfile
from pathlib import Path

import pytest
from pantau_browser import Visit, walk, xpath_string
from pantau_server import Server, minimal_pdf, wib_today
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select
from selenium.webdriver.remote.webelement import WebElement


PLAN = "ran-ogi-2020-2022"
SEMESTER = "B06"
SECRETARIAT = "sekretariat@pantau.local"
IMPLEMENTER = "demo.kl@pantau.local"  # Kementerian Hukum dan HAM

ACHIEVEMENT_1 = "Rancangan pedoman keterbukaan data disusun bersama OMS dan diuji di dua kantor wilayah."
PROGRESS_1 = "60"
ACHIEVEMENT_2 = ("Pedoman keterbukaan data disusun bersama OMS, diuji di dua kantor wilayah, "
                 "dan ditetapkan dengan surat keputusan; daftar hadir rapat dilampirkan.")
PROGRESS_2 = "100"
EVIDENCE_DESCRIPTION = "Notulen rapat konsultasi publik"
ACHIEVEMENT_ADDED = "Uji coba dimulai di satu kantor wilayah."
STAFF_NOTE = "Catatan internal: cocokkan dengan laporan Sekber sebelum menilai."
CLARIFICATION = "Mohon lampirkan surat keputusan penetapan pedoman dan jelaskan status uji coba."
ANSWER = "Surat keputusan sudah terbit; capaian kami perbarui dan uji coba selesai di dua kantor wilayah."
SCORE = "85"
CATEGORY = "Baik"
CORRECTED_SCORE = "60"
CORRECTION_REASON = "Daftar hadir yang dilampirkan ternyata untuk rapat lain."
YEAR_JUSTIFICATION = "Ko-kreasi terlihat pada B06, belum berlanjut."


# ---------------------------------------------------------------------------------------------------------
# Files to upload


@pytest.fixture(scope="module")
def evidence_pdf():
    folder = Path(tempfile.mkdtemp(prefix="pantau-browser-upload-"))
    path = folder / "notulen-konsultasi-publik.pdf"
    path.write_bytes(minimal_pdf("Notulen rapat konsultasi publik - uji Pantau"))
    yield path
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def disguised_program():
    """A Linux program named like a PDF: what a person might pick by mistake, refused by its content."""
    folder = Path(tempfile.mkdtemp(prefix="pantau-browser-upload-"))
    path = folder / "daftar-hadir.pdf"
    path.write_bytes(bytes([0x7F, 0x45, 0x4C, 0x46, 0x02, 0x01, 0x01, 0x00]) + bytes(64))
    yield path
    shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------
# What a person does on the pages


def semester_article(visit: Visit) -> WebElement:
    title = f"{PLAN} · {SEMESTER}"
    articles = visit.driver.find_elements(By.CSS_SELECTOR, "main article")
    for article in articles:
        if article.find_element(By.TAG_NAME, "h2").text.startswith(title):
            return article
    raise AssertionError(f"no semester {title!r} on the semesters page\n{visit.where()}")


def open_own_report(visit: Visit, target: str, status: str) -> None:
    """From anywhere, signed in as the implementer: 'Laporan saya', then the target's row."""
    visit.click_and_load(visit.nav_link("Laporan saya"))
    visit.expect_heading("Laporan capaian")
    rows = visit.driver.find_elements(By.XPATH, f"//table//tr[td/a[normalize-space()={xpath_string(target)}]]")
    assert rows, f"the target {target!r} is not in 'Laporan saya'\n{visit.where()}"
    cells = rows[0].find_elements(By.TAG_NAME, "td")
    assert cells[3].text.strip() == status, \
        f"'Laporan saya' shows status {cells[3].text!r} for the target, expected {status!r}\n{visit.where()}"
    visit.click_and_load(cells[2].find_element(By.TAG_NAME, "a"))
    visit.expect_heading("Laporan capaian target")


def open_in_verification(visit: Visit, target: str, status: str, screenshot: str | None = None) -> None:
    """Signed in as the secretariat: 'Verifikasi', then the report of the target."""
    visit.click_and_load(visit.nav_link("Verifikasi"))
    visit.expect_heading("Verifikasi laporan")
    rows = visit.driver.find_elements(By.XPATH, f"//table//tr[td/a[normalize-space()={xpath_string(target)}]]")
    assert len(rows) == 1, f"expected one report of {target!r} in the queue, found {len(rows)}\n{visit.where()}"
    cells = rows[0].find_elements(By.TAG_NAME, "td")
    assert cells[0].text.startswith(f"{PLAN} · {SEMESTER}"), f"the queue row is for {cells[0].text!r}\n{visit.where()}"
    assert cells[1].text.strip() == "Kementerian Hukum dan HAM", f"the queue row's organisation is {cells[1].text!r}"
    assert cells[3].text.strip().startswith(status), \
        f"the queue shows status {cells[3].text!r}, expected {status!r}\n{visit.where()}"
    if screenshot:
        visit.screenshot(screenshot)
    visit.click_and_load(cells[2].find_element(By.TAG_NAME, "a"))
    visit.expect_heading("Verifikasi laporan")


# ---------------------------------------------------------------------------------------------------------
# The cycle


def test_reporting_cycle(server: Server, visit: Visit, evidence_pdf: Path, disguised_program: Path, downloads: Path):
    walk(server, visit, lambda: run_cycle(server, visit, evidence_pdf, disguised_program, downloads))


def run_cycle(server: Server, visit: Visit, evidence_pdf: Path, disguised_program: Path, downloads: Path) -> None:
    driver = visit.driver
    today = wib_today()
    # Reporting closes today and verification opens today, so the whole cycle fits in one day of the server's clock.
    opens, closes = today - datetime.timedelta(days=3), today
    verify_opens, verify_closes = today, today + datetime.timedelta(days=7)

    # a. The secretariat opens the reporting window of the semester.
    visit.step = "a. secretariat sets the reporting window"
    visit.sign_in(SECRETARIAT)
    visit.click_and_load(visit.nav_link("Administrasi"))
    visit.expect_heading("Administrasi")
    visit.click_and_load(driver.find_element(By.CSS_SELECTOR, "main a[href='/admin/semesters']"))
    visit.expect_heading("Semester: periode pelaporan dan publikasi")
    article = semester_article(visit)
    form = article.find_element(By.CSS_SELECTOR, "form[action$='/window']")
    for name, day in (("reportOpens", opens), ("reportCloses", closes), ("verifyOpens", verify_opens),
                      ("verifyCloses", verify_closes)):
        field = form.find_element(By.NAME, name)
        assert field.get_attribute("type") == "date"
        driver.execute_script("arguments[0].value = arguments[1];", field, day.isoformat())
        assert field.get_attribute("value") == day.isoformat(), f"the date field {name} did not take {day}"
    visit.click_and_load(visit.button(form, "Simpan periode"))
    visit.expect_notice("Periode disimpan.")
    article = semester_article(visit)
    for name, day in (("reportOpens", opens), ("reportCloses", closes), ("verifyOpens", verify_opens),
                      ("verifyCloses", verify_closes)):
        value = article.find_element(By.NAME, name).get_attribute("value")
        assert value == day.isoformat(), f"after saving, {name} shows {value!r}, expected {day}\n{visit.where()}"
    assert article.find_elements(By.LINK_TEXT, "Periksa dan publikasikan B06"), "no way to publish once the window is set"
    visit.screenshot("secretariat-window-set")
    visit.sign_out()

    # b. The ministry's implementer writes, documents and submits the report of the semester's first target.
    visit.step = "b. implementer writes and submits"
    visit.sign_in(IMPLEMENTER)
    # Signing in lands on the implementer's own work: the open target with its deadline.
    visit.expect_heading("Pekerjaan saya")
    visit.assert_text("Harus dilaporkan", "the list of targets owed")
    visit.screenshot("implementer-work")
    visit.phone_screenshot("implementer-work")
    visit.click_and_load(visit.nav_link("Laporan saya"))
    visit.expect_heading("Laporan capaian")
    rows = [row for row in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
            if row.find_element(By.TAG_NAME, "td").text.strip() == f"{PLAN} · {SEMESTER}"]
    assert rows, f"'Laporan saya' lists no target of {PLAN} · {SEMESTER}\n{visit.where()}"
    cells = rows[0].find_elements(By.TAG_NAME, "td")
    target = cells[2].text.strip()
    assert cells[3].text.strip() == "Belum dimulai", f"a new target shows status {cells[3].text!r}\n{visit.where()}"
    assert cells[4].text.strip() == closes.isoformat(), f"the deadline shown is {cells[4].text!r}, expected {closes}"
    visit.screenshot("implementer-report-list")
    visit.click_and_load(cells[2].find_element(By.TAG_NAME, "a"))
    visit.expect_heading("Laporan capaian target")
    assert visit.field_value("Target") == target, f"the report page is for {visit.field_value('Target')!r}"
    assert visit.field_value("Rencana aksi").endswith(f"· {SEMESTER}"), visit.where()
    assert visit.field_value("Organisasi") == "Kementerian Hukum dan HAM", visit.where()
    shown = visit.field_value("Status")
    visit.app_bug(shown == "Belum dimulai",
                  f"a target never reported on shows status {shown!r} on its report page, while 'Laporan saya' "
                  f"shows 'Belum dimulai' for it")
    visit.app_bug(visit.field_or_none("Nilai") is None,
                  f"an unscored report shows a 'Nilai' row with the value {visit.field_or_none('Nilai')!r}")
    commitment = visit.field_value("Komitmen")
    match = re.match(r"(\d+)\.", commitment)
    assert match, f"the 'Komitmen' row {commitment!r} does not start with its number\n{visit.where()}"
    commitment_number = int(match.group(1))

    visit.type_into(driver.find_element(By.ID, "achievement"), ACHIEVEMENT_1)
    visit.type_into(driver.find_element(By.ID, "progress"), PROGRESS_1)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Simpan draf"))
    visit.expect_notice("Draf disimpan.")
    visit.expect_status("Draf")
    assert driver.find_element(By.ID, "achievement").get_attribute("value") == ACHIEVEMENT_1, visit.where()
    assert driver.find_element(By.ID, "progress").get_attribute("value") == PROGRESS_1, visit.where()
    visit.screenshot("implementer-draft-saved")

    # The text typed next is kept when the file chosen with it is refused: a program renamed to .pdf.
    form = driver.find_element(By.CSS_SELECTOR, "form.report-form")
    visit.type_into(form.find_element(By.ID, "achievement"), ACHIEVEMENT_1 + " " + ACHIEVEMENT_ADDED)
    form.find_element(By.ID, "file").send_keys(str(disguised_program))
    visit.type_into(form.find_element(By.ID, "description"), EVIDENCE_DESCRIPTION)
    visit.click_and_load(visit.button(form, "Simpan draf"))
    error = driver.find_elements(By.ID, "evidence-error")
    assert error and "Jenis berkas tidak diterima" in error[0].text, f"no message beside the evidence\n{visit.where()}"
    kept = driver.find_element(By.ID, "achievement").get_attribute("value")
    assert kept == ACHIEVEMENT_1 + " " + ACHIEVEMENT_ADDED, f"the typed text was lost after a refused upload: {kept!r}\n{visit.where()}"
    assert driver.find_element(By.ID, "description").get_attribute("value") == EVIDENCE_DESCRIPTION, visit.where()
    visit.screenshot("implementer-upload-refused")

    # The right file, made public by an explicit choice (internal is the default).
    form = driver.find_element(By.CSS_SELECTOR, "form.report-form")
    internal = form.find_element(By.CSS_SELECTOR, "input[name='visibility'][value='internal']")
    assert internal.is_selected(), f"new evidence is not internal by default\n{visit.where()}"
    form.find_element(By.ID, "file").send_keys(str(evidence_pdf))
    form.find_element(By.CSS_SELECTOR, "input[name='visibility'][value='public']").click()
    visit.click_and_load(visit.button(form, "Simpan draf"))
    visit.expect_notice("Data dukung ditambahkan.")
    assert driver.find_element(By.ID, "achievement").get_attribute("value") == ACHIEVEMENT_1 + " " + ACHIEVEMENT_ADDED, visit.where()
    items = driver.find_elements(By.CSS_SELECTOR, "ul.evidence-list li")
    assert len(items) == 1, f"expected one evidence item, found {len(items)}\n{visit.where()}"
    assert items[0].find_element(By.TAG_NAME, "a").text == evidence_pdf.name, visit.where()
    assert "publik" in items[0].text and EVIDENCE_DESCRIPTION in items[0].text, \
        f"the evidence item reads {items[0].text!r}"
    visit.screenshot("implementer-evidence-added")

    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "form.report-form"), "Serahkan laporan"))
    visit.expect_notice("Laporan diserahkan.")
    visit.expect_status("Diserahkan")
    assert not driver.find_elements(By.ID, "achievement"), f"a submitted report can still be edited\n{visit.where()}"
    visit.assert_text(ACHIEVEMENT_1, "the submitted achievement")
    visit.assert_text(f"Kemajuan (%): {PROGRESS_1}%", "the submitted progress")
    visit.app_bug(visit.field_or_none("Nilai") is None,
                  f"a submitted, unscored report shows a 'Nilai' row with the value {visit.field_or_none('Nilai')!r}")
    visit.screenshot("implementer-submitted")
    # A reload shows the report again, not the form sent again, and the notice only once.
    driver.refresh()
    visit.expect_heading("Laporan capaian target")
    assert "Laporan diserahkan." not in visit.notice(), f"the notice is shown again after a reload\n{visit.where()}"
    visit.expect_status("Diserahkan")
    visit.sign_out()

    # c. The secretariat leaves an internal note and asks for clarification.
    visit.step = "c. secretariat asks for clarification"
    visit.sign_in(SECRETARIAT)
    open_in_verification(visit, target, "Diserahkan", screenshot="secretariat-verify-queue")
    visit.expect_status("Diserahkan")
    visit.assert_text(ACHIEVEMENT_1, "the implementer's achievement")
    evidence = driver.find_elements(By.CSS_SELECTOR, "ul.evidence-list li a")
    assert [a.text for a in evidence] == [evidence_pdf.name], f"the secretariat sees evidence {[a.text for a in evidence]}"
    visit.screenshot("secretariat-verify-report")
    visit.phone_screenshot("secretariat-verify-report")
    visit.type_into(driver.find_element(By.ID, "comment"), STAFF_NOTE)
    visit.click_and_load(visit.button(driver.find_element(By.ID, "comment").find_element(By.XPATH, "./ancestor::form"),
                                      "Simpan catatan"))
    visit.expect_notice("Catatan internal disimpan.")
    notes = driver.find_element(By.CSS_SELECTOR, "section.staff-notes")
    assert STAFF_NOTE in notes.text, f"the note is not under the internal notes\n{visit.where()}"
    visit.type_into(driver.find_element(By.ID, "clarify"), CLARIFICATION)
    visit.click_and_load(visit.button(driver.find_element(By.ID, "clarify").find_element(By.XPATH, "./ancestor::form"),
                                      "Kirim permintaan"))
    visit.expect_notice("Permintaan klarifikasi dikirim")
    visit.expect_status("Perlu klarifikasi")
    messages = driver.find_elements(By.CSS_SELECTOR, "ol.messages li")
    assert any(CLARIFICATION in m.text for m in messages), f"the clarification is not in the thread\n{visit.where()}"
    visit.screenshot("secretariat-clarification-requested")
    visit.sign_out()

    # d. The implementer reads the question at the top, answers, corrects the report and hands it in again in one step.
    visit.step = "d. implementer answers and resubmits"
    visit.sign_in(IMPLEMENTER)
    # The header counts the unread notifications; the question is among them, with its answer day, and leads to the report.
    unread = driver.find_elements(By.XPATH, "//header//nav//a[starts-with(normalize-space(), 'Notifikasi (')]")
    assert unread and "baru" in unread[0].text, f"the header does not count the new notification\n{visit.where()}"
    visit.click_and_load(unread[0])
    visit.expect_heading("Notifikasi")
    visit.assert_text("Jawab paling lambat", "the answer's day in the notification")
    visit.screenshot("implementer-notifications")
    visit.phone_screenshot("implementer-notifications")
    asked = driver.find_elements(By.XPATH, f"//main//a[contains(normalize-space(), {xpath_string('Permintaan klarifikasi: ' + target)})]")
    assert asked, f"no notification of the clarification request\n{visit.where()}"
    visit.click_and_load(asked[0])
    visit.expect_heading("Laporan capaian target")
    visit.assert_text("jawaban ditunggu paling lambat", "the answer's day beside the report's status")
    open_own_report(visit, target, "Perlu klarifikasi")
    visit.expect_status("Perlu klarifikasi")
    question = driver.find_elements(By.CSS_SELECTOR, "main section.question")
    assert question and CLARIFICATION in question[0].text, f"the question is not at the top\n{visit.where()}"
    visit.assert_no_text(STAFF_NOTE, "the secretariat's internal note")
    assert driver.find_elements(By.ID, "achievement"), f"the report is not editable after clarification\n{visit.where()}"
    visit.screenshot("implementer-sees-clarification")
    visit.phone_screenshot("implementer-sees-clarification")
    visit.type_into(driver.find_element(By.ID, "answer"), ANSWER)
    visit.type_into(driver.find_element(By.ID, "achievement"), ACHIEVEMENT_2)
    visit.type_into(driver.find_element(By.ID, "progress"), PROGRESS_2)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "form.report-form"), "Jawab dan serahkan ulang"))
    visit.expect_notice("Laporan diserahkan.")
    visit.expect_status("Diserahkan")
    visit.assert_text(ACHIEVEMENT_2, "the corrected achievement")
    visit.assert_text(f"Kemajuan (%): {PROGRESS_2}%", "the corrected progress")
    messages = driver.find_elements(By.CSS_SELECTOR, "ol.messages li")
    assert messages and ANSWER in messages[-1].text, f"the answer is not the thread's last message\n{visit.where()}"
    visit.screenshot("implementer-resubmitted")
    visit.sign_out()

    # e. The secretariat scores the report and publishes the semester.
    visit.step = "e. secretariat scores and publishes"
    visit.sign_in(SECRETARIAT)
    visit.expect_heading("Pekerjaan saya")
    visit.screenshot("secretariat-work")
    # The answer reached the secretariat; with no mail server configured, its page of emails says so.
    visit.open("/notifications")
    visit.assert_text(f"Klarifikasi dijawab: {target}", "the notification of the answer")
    visit.open("/admin/emails")
    visit.expect_heading("E-mail notifikasi")
    visit.assert_text("Server e-mail belum diatur", "the missing mail server")
    visit.screenshot("secretariat-emails")
    open_in_verification(visit, target, "Diserahkan")
    visit.assert_text(ACHIEVEMENT_2, "the corrected achievement")
    visit.assert_text(ANSWER, "the implementer's answer in the thread")
    score_form = driver.find_element(By.ID, "score").find_element(By.XPATH, "./ancestor::form")
    visit.type_into(driver.find_element(By.ID, "score"), SCORE)
    visit.click_and_load(visit.button(score_form, "Simpan nilai"))
    visit.expect_notice("Nilai disimpan.")
    visit.expect_status("Dinilai")
    scored = visit.field_value("Nilai")
    assert scored.startswith(SCORE) and CATEGORY in scored, f"the score row reads {scored!r}\n{visit.where()}"
    # Clarification is refused for anything but a submitted report (ReportService.postMessage answers 409
    # "Laporan ini belum diserahkan."), so the page must not offer it once the report is scored.
    visit.app_bug(not driver.find_elements(By.ID, "clarify"),
                  "a scored report still offers 'Minta klarifikasi', which only ends on the error page "
                  "'Terjadi kesalahan (409) Laporan ini belum diserahkan.'")
    visit.screenshot("secretariat-scored")

    visit.click_and_load(visit.nav_link("Administrasi"))
    visit.click_and_load(driver.find_element(By.CSS_SELECTOR, "main a[href='/admin/semesters']"))
    visit.expect_heading("Semester: periode pelaporan dan publikasi")
    visit.click_and_load(semester_article(visit).find_element(By.LINK_TEXT, "Periksa dan publikasikan B06"))
    visit.expect_heading("Publikasi hasil B06")
    # The check says what is incomplete: one target of 65 reported, verification still open.
    visit.assert_text("komitmen dinilai dari sebagian targetnya saja", "the partial commitments")
    visit.assert_text("Jendela semester B06 belum ditutup", "the open window")
    visit.screenshot("secretariat-publication-check")
    visit.phone_screenshot("secretariat-publication-check")
    publish_form = driver.find_element(By.ID, "reason").find_element(By.XPATH, "./ancestor::form")
    visit.type_into(driver.find_element(By.ID, "reason"), "Hasil sementara: hanya KemenPAN RB yang melapor.")
    publish_form.find_element(By.NAME, "confirm").click()
    visit.click_and_load(visit.button(publish_form, "Publikasikan B06"))
    visit.expect_notice("Hasil B06 dipublikasikan dan dibekukan.")
    visit.assert_text("Hasil sementara: hanya KemenPAN RB yang melapor.", "the reason kept with the publication")
    visit.screenshot("secretariat-published")
    visit.click_and_load(visit.nav_link("Administrasi"))
    visit.click_and_load(driver.find_element(By.CSS_SELECTOR, "main a[href='/admin/semesters']"))
    article = semester_article(visit)
    assert "Hasil semester ini sudah dipublikasikan." in article.text, f"B06 is not marked published\n{visit.where()}"
    assert not article.find_elements(By.LINK_TEXT, "Periksa dan publikasikan B06"), f"B06 still offers to be published\n{visit.where()}"
    visit.sign_out()

    # f. A visitor without an account sees the result and downloads the public evidence.
    visit.step = "f. visitor reads the published result"
    driver.delete_all_cookies()
    visit.open(f"/plans/{PLAN}/commitments/{commitment_number}")
    visit.wait_for(lambda d: d.find_element(By.TAG_NAME, "h1").text.startswith(f"Komitmen {commitment_number}"),
                   f"the page of commitment {commitment_number}")
    visit.nav_link("Masuk")
    # Every B06 target of a published semester says where it stands; only the verified one shows a score and report.
    marks = driver.find_elements(By.CSS_SELECTOR, "ol.targets li .result.cat-not_reported")
    assert marks and all(m.text.strip() == "Tidak dilaporkan" for m in marks), \
        f"unreported targets are not marked 'Tidak dilaporkan'\n{visit.where()}"
    results = [r for r in driver.find_elements(By.CSS_SELECTOR, "ol.targets li .result")
               if "cat-not_reported" not in r.get_attribute("class") and "cat-not_scored" not in r.get_attribute("class")]
    assert len(results) == 1, f"expected one published target result, found {len(results)}\n{visit.where()}"
    result = results[0]
    assert f"Nilai {SCORE}" in result.text, f"the result reads {result.text!r}, expected 'Nilai {SCORE}'\n{visit.where()}"
    assert CATEGORY in result.text, f"the result reads {result.text!r}, expected {CATEGORY!r}\n{visit.where()}"
    assert ACHIEVEMENT_2 in result.text, f"the published achievement is missing from {result.text!r}"
    target_item = result.find_element(By.XPATH, "./ancestor::li[1]")
    assert SEMESTER in target_item.find_element(By.CSS_SELECTOR, ".semester").text, target_item.text
    assert target in target_item.text, f"the result is not under the target {target!r}: {target_item.text!r}"
    visit.assert_no_text(CLARIFICATION, "the internal clarification thread")
    links = result.find_elements(By.XPATH, f".//a[normalize-space()={xpath_string(evidence_pdf.name)}]")
    assert links, f"no link to {evidence_pdf.name} under the result\n{visit.where()}"
    summary = driver.find_elements(By.CSS_SELECTOR, "section[aria-labelledby=results] li.chip")
    assert summary and any(SEMESTER in s.text and SCORE in s.text for s in summary), \
        f"the 'Hasil' summary does not show {SEMESTER}: {SCORE}: {[s.text for s in summary]}\n{visit.where()}"
    visit.screenshot("visitor-commitment-result")

    for old in downloads.iterdir():
        old.unlink()
    links[0].click()
    expected = downloads / evidence_pdf.name
    visit.wait_for(lambda d: expected.exists() and not list(downloads.glob("*.crdownload")),
                   f"the browser to download {evidence_pdf.name} (folder holds {[p.name for p in downloads.iterdir()]})",
                   timeout=30)
    assert expected.read_bytes() == evidence_pdf.read_bytes(), "the downloaded evidence differs from the uploaded PDF"

    # The plan's headline status, where a visitor first looks: the home page, the plan page and the dashboard.
    for path, name in (("/", "visitor-home-status"), (f"/plans/{PLAN}", "visitor-plan-status"),
                       (f"/plans/{PLAN}/dashboard", "visitor-dashboard-status")):
        visit.open(path)
        visit.assert_text(f"Capaian terakhir yang dipublikasikan: {SEMESTER}", f"the status of the plan on {path}")
        visit.assert_text(CATEGORY, f"the category in words on {path}")
        visit.screenshot(name)
        visit.phone_screenshot(name)
    visit.click_and_load(visit.driver.find_element(By.XPATH, "//main//a[normalize-space()='Apa arti istilah ini?']"))
    visit.expect_heading("Istilah dalam Pantau")
    visit.screenshot("visitor-terms")

    # g. The secretariat corrects the published score, with a reason, and assesses the year 2021 on its own.
    visit.step = "g. secretariat corrects the published score and assesses the year"
    visit.sign_in(SECRETARIAT)
    open_in_verification(visit, target, "Dinilai")
    visit.assert_text("Hasil ini sudah dipublikasikan", "the correction explanation")
    assert not driver.find_elements(By.ID, "clarify"), f"a published report still offers clarification\n{visit.where()}"
    score_form = driver.find_element(By.ID, "score").find_element(By.XPATH, "./ancestor::form")
    visit.type_into(driver.find_element(By.ID, "score"), CORRECTED_SCORE)
    visit.type_into(driver.find_element(By.ID, "correction"), CORRECTION_REASON)
    visit.click_and_load(visit.button(score_form, "Simpan koreksi"))
    visit.expect_notice("Nilai disimpan.")
    visit.screenshot("secretariat-corrected")

    visit.click_and_load(visit.nav_link("Administrasi"))
    visit.click_and_load(driver.find_element(By.CSS_SELECTOR, "main a[href='/admin/semesters']"))
    visit.click_and_load(driver.find_element(By.CSS_SELECTOR, f"main a[href='/verify/plans/{PLAN}/2021']"))
    visit.expect_heading("Penilaian tahun 2021")
    # The year rests on every scored target of B06 and B12: here the one corrected target.
    article = [a for a in driver.find_elements(By.CSS_SELECTOR, "article.measure")
               if a.find_element(By.TAG_NAME, "h2").text.startswith(f"{commitment_number}. ")][0]
    assert f"Nilai rata-rata target: {CORRECTED_SCORE} (1 dari" in article.text, f"the year's default reads {article.text!r}"
    Select(article.find_element(By.NAME, "rating")).select_by_visible_text("Semi-Aktif")
    visit.type_into(article.find_element(By.NAME, "justification"), YEAR_JUSTIFICATION)
    visit.click_and_load(visit.button(article, "Simpan"))
    visit.expect_notice("Penilaian disimpan.")
    # A reload shows what was saved.
    visit.open(f"/verify/plans/{PLAN}/2021")
    article = [a for a in driver.find_elements(By.CSS_SELECTOR, "article.measure")
               if a.find_element(By.TAG_NAME, "h2").text.startswith(f"{commitment_number}. ")][0]
    assert Select(article.find_element(By.NAME, "rating")).first_selected_option.text == "Semi-Aktif", "the saved rating is not shown"
    assert article.find_element(By.NAME, "justification").get_attribute("value") == YEAR_JUSTIFICATION
    visit.screenshot("secretariat-year-assessment")
    visit.phone_screenshot("secretariat-year-assessment")

    visit.click_and_load(driver.find_element(By.LINK_TEXT, "Periksa dan publikasikan 2021"))
    visit.expect_heading("Publikasi hasil 2021")
    visit.assert_text("Semester yang belum dipublikasikan: B12.", "the year's unpublished semester")
    publish_form = driver.find_element(By.ID, "reason").find_element(By.XPATH, "./ancestor::form")
    visit.type_into(driver.find_element(By.ID, "reason"), "Penilaian tahunan sementara sebelum B12.")
    publish_form.find_element(By.NAME, "confirm").click()
    visit.click_and_load(visit.button(publish_form, "Publikasikan 2021"))
    visit.expect_notice("Hasil 2021 dipublikasikan dan dibekukan.")
    visit.sign_out()

    # h. The visitor sees the correction and the year, in both languages.
    visit.step = "h. visitor reads the correction and the year"
    driver.delete_all_cookies()
    visit.open(f"/plans/{PLAN}/commitments/{commitment_number}")
    visit.assert_text(CORRECTION_REASON, "the correction's reason")
    visit.assert_text("Dikoreksi pada", "the correction's date")
    visit.assert_text("Capaian komitmen 2021", "the year's result")
    visit.assert_text(YEAR_JUSTIFICATION, "the year's co-creation justification")
    visit.screenshot("visitor-corrected-and-year")
    visit.open(f"/plans/{PLAN}/commitments/{commitment_number}?lang=en")
    visit.assert_text("Corrected on", "the correction in English")
    visit.assert_text("Commitment result 2021", "the year in English")
    visit.screenshot("visitor-corrected-and-year-en")
    visit.open(f"/plans/{PLAN}/report?year=2021&lang=id")
    visit.expect_heading("Laporan evaluasi 2021")
    visit.assert_text("Dipublikasikan meski belum lengkap", "the publication's reason")
    visit.screenshot("visitor-year-report")
    visit.open(f"/plans/{PLAN}/report?period=B06&lang=id")
    visit.assert_text("Dikoreksi pada", "the correction in the semester's report")

    visit.step = "end"
    if visit.app_bugs:
        pytest.fail("the whole cycle went through, but the app got these wrong:\n- " + "\n- ".join(visit.app_bugs),
                    pytrace=False)
