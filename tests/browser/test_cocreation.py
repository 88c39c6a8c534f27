"""End-to-end test of co-creating a plan in a real browser (headless Chromium through Selenium).

The secretariat creates a draft plan and opens the call for proposals; a CSO's implementer submits a proposal;
the secretariat takes it through every stage to adoption, which drafts its commitment, fixes the target the
hints flag, and opens the public consultation; a visitor without an account comments; the secretariat publishes
the comment with its response and adopts the plan; the visitor then finds the commitment on the public portal
with the comment and the plan's first version. A full-page screenshot is saved after each step.

Environment: as test_reporting_cycle.py (PANTAU_BINARY, PANTAU_HOME, PANTAU_TEST_OUTPUT, CHROMIUM, CHROMEDRIVER).
"""

from __future__ import annotations

import datetime

from pantau_browser import Visit, walk, xpath_string
from pantau_results import main_form, start_draft_plan
from pantau_server import Server, wib_today
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


SECRETARIAT = "sekretariat@pantau.local"
CSO = "demo.oms@pantau.local"
PLAN = "ran-ogi-2025-2027"
PLAN_TITLE = "Rencana Aksi Nasional Keterbukaan Pemerintah 2025-2027"
PROPOSAL = "Kanal aduan layanan publik yang terlacak"
BARE_TARGET = "Sosialisasi kanal aduan kepada pemerintah daerah"
BETTER_TARGET = "Tersusunnya SOP kanal aduan dan diterapkan di 10 pemerintah daerah"
WITHDRAWN = "Data aduan terbuka bulanan"
EDITED_COMMITMENT = "Membangun kanal aduan yang dapat dilacak warga sampai selesai, dengan batas waktu tindak lanjut."
COMMENT = "Mohon target semester akhir menyebut jumlah aduan yang ditindaklanjuti."
RESPONSE = "Target B24 kini menyebut 80% aduan ditindaklanjuti."
STAGES = ("Diskusi bilateral dengan pengusul", "Penyelarasan dengan Bappenas (RPJMN)",
          "Pembahasan dengan K/L dan OMS terkait", "Lokakarya finalisasi", "Diterima menjadi komitmen")


def test_cocreation(server: Server, visit: Visit):
    walk(server, visit, lambda: run(visit))


def link(visit: Visit, text: str):
    found = visit.driver.find_elements(By.XPATH, f"//main//a[normalize-space()={xpath_string(text)}]")
    assert found, f"no link {text!r}\n{visit.where()}"
    return found[0]


def run(visit: Visit) -> None:
    driver = visit.driver

    visit.step = "1. secretariat creates the draft plan and opens the call"
    visit.sign_in(SECRETARIAT)
    visit.click_and_load(visit.nav_link("Ko-kreasi"))
    visit.expect_heading("Ko-kreasi rencana aksi")
    start_draft_plan(visit, PLAN, PLAN_TITLE)
    visit.screenshot("secretariat-call-open")

    visit.step = "1b. the secretariat publishes the dated timeline, first with a slip"
    today = wib_today()

    def day(offset: int) -> str:
        return (today + datetime.timedelta(days=offset)).isoformat()

    def fill_timeline(days: dict[str, str]) -> None:
        form = main_form(visit, "/timeline")
        for field, value in days.items():
            driver.execute_script("arguments[0].value = arguments[1];", form.find_element(By.ID, field), value)
        visit.click_and_load(visit.button(form, "Simpan jadwal"))

    timeline = {"plannedStart-call_for_proposals": day(-1), "plannedEnd-call_for_proposals": day(30),
                "plannedStart-review": day(31), "plannedEnd-review": day(45),
                "plannedStart-consultation": day(60), "plannedEnd-consultation": day(40),  # ends before it starts
                "plannedStart-adoption": day(100), "plannedEnd-adoption": day(100)}
    fill_timeline(timeline)
    error = driver.find_element(By.ID, "timeline-error")
    assert "Konsultasi publik" in error.text and "tanggal selesai yang direncanakan" in error.text, visit.where()
    assert driver.find_element(By.ID, "plannedEnd-consultation").get_attribute("value") == day(40), f"the typed date was not kept\n{visit.where()}"
    visit.screenshot("secretariat-timeline-slip")
    timeline["plannedEnd-consultation"] = day(90)
    fill_timeline(timeline)
    visit.expect_notice("Jadwal ko-kreasi disimpan.")
    row = driver.find_element(By.ID, "phase-call_for_proposals")
    assert "Sedang berlangsung" in row.text, visit.where()
    visit.screenshot("secretariat-timeline")
    visit.sign_out()

    visit.step = "1c. a visitor sees the call open on the home page and the timeline"
    visit.open("/")
    banner = driver.find_element(By.CSS_SELECTOR, "main aside.banner")
    assert f"Pengumpulan usulan untuk {PLAN_TITLE} sedang dibuka sampai" in banner.text, visit.where()
    visit.screenshot("visitor-home-banner")
    visit.click_and_load(banner.find_element(By.TAG_NAME, "a"))
    assert "Direncanakan" in driver.find_element(By.ID, "phase-consultation").text, visit.where()

    visit.step = "2. a CSO submits a proposal"
    visit.sign_in(CSO)
    visit.click_and_load(visit.nav_link("Ko-kreasi"))
    visit.click_and_load(link(visit, PLAN_TITLE))
    visit.click_and_load(link(visit, "Ajukan usulan komitmen"))
    visit.expect_heading("Ajukan usulan komitmen")
    visit.type_into(driver.find_element(By.ID, "title"), PROPOSAL)
    # A form left half done: the problem is only spaces (the browser's own check lets that through).
    visit.type_into(driver.find_element(By.ID, "problem"), "   ")
    visit.type_into(driver.find_element(By.ID, "commitment"), "Membangun kanal aduan yang dapat dilacak warga sampai selesai.")
    visit.type_into(driver.find_element(By.ID, "measure-0"), "Kanal aduan terlacak beroperasi di pemerintah daerah")
    visit.type_into(driver.find_element(By.ID, "target-0-B06"), BARE_TARGET)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Kirim usulan"))
    visit.expect_heading("Ajukan usulan komitmen")
    error = driver.find_element(By.ID, "problem-error")
    assert error.text == "Permasalahan publik wajib diisi.", visit.where()
    assert driver.find_element(By.ID, "problem").get_attribute("aria-invalid") == "true", visit.where()
    for field, kept in (("title", PROPOSAL), ("commitment", "Membangun kanal aduan yang dapat dilacak warga sampai selesai."),
                        ("measure-0", "Kanal aduan terlacak beroperasi di pemerintah daerah"), ("target-0-B06", BARE_TARGET)):
        assert driver.find_element(By.ID, field).get_attribute("value") == kept, f"{field} was not kept\n{visit.where()}"
    visit.screenshot("cso-proposal-problem-missing")
    visit.type_into(driver.find_element(By.ID, "problem"), "Aduan warga atas layanan publik sering tidak jelas tindak lanjutnya.")
    visit.type_into(driver.find_element(By.ID, "target-0-B24"), "80% aduan ditindaklanjuti dalam 14 hari")
    visit.type_into(driver.find_element(By.ID, "agencies"), "Kementerian Pendayagunaan Aparatur Negara dan Reformasi Birokrasi")
    visit.type_into(driver.find_element(By.ID, "sdgTargets"), "16.6, 16.7")
    visit.screenshot("cso-proposal-form")
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Kirim usulan"))
    visit.expect_heading(PROPOSAL)
    visit.assert_text("Diajukan", "the proposal's first stage")
    proposal_url = driver.current_url
    # Until review starts the proposer may change it: a clearer commitment text.
    visit.click_and_load(link(visit, "Ubah usulan"))
    visit.expect_heading(f"Ubah usulan: {PROPOSAL}")
    assert driver.find_element(By.ID, "target-0-B06").get_attribute("value") == BARE_TARGET, f"the form lost a target\n{visit.where()}"
    visit.type_into(driver.find_element(By.ID, "commitment"), EDITED_COMMITMENT)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Kirim usulan"))
    visit.expect_notice("Usulan diperbarui.")
    visit.screenshot("cso-proposal-edited")
    # A second proposal, withdrawn: first without a reason (refused beside the form), then with one, which is published.
    visit.open(f"/cocreation/plans/{PLAN}/proposals/new")
    visit.type_into(driver.find_element(By.ID, "title"), WITHDRAWN)
    visit.type_into(driver.find_element(By.ID, "problem"), "Data aduan tidak terbuka.")
    visit.type_into(driver.find_element(By.ID, "commitment"), "Membuka data aduan setiap bulan.")
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Kirim usulan"))
    visit.expect_heading(WITHDRAWN)
    form = main_form(visit, "/withdraw")
    visit.click_and_load(visit.button(form, "Tarik usulan"))
    assert "alasan" in driver.find_element(By.ID, "withdraw-error").text, visit.where()
    visit.screenshot("cso-withdraw-without-reason")
    form = main_form(visit, "/withdraw")
    visit.type_into(form.find_element(By.ID, "reason"), "Digabung ke usulan kanal aduan.")
    visit.click_and_load(visit.button(form, "Tarik usulan"))
    visit.expect_notice("Usulan ditarik.")
    visit.assert_text("Ditarik oleh pengusul", "the withdrawal in the proposal's stages")
    visit.sign_out()

    visit.step = "2b. a visitor reads the proposal"
    visit.open(f"/cocreation/plans/{PLAN}")
    visit.click_and_load(link(visit, PROPOSAL))
    visit.assert_text(EDITED_COMMITMENT, "the proposal's text, public")
    assert not driver.find_elements(By.ID, "change"), f"a visitor was offered to change the proposal\n{visit.where()}"

    visit.step = "3. the secretariat takes the proposal through the stages"
    visit.sign_in(SECRETARIAT)
    visit.open(proposal_url.replace(visit.server.base_url, ""))
    for stage in STAGES:
        form = main_form(visit, "/stages")
        Select(form.find_element(By.ID, "stage")).select_by_visible_text(stage)
        if stage == STAGES[-1]:
            visit.type_into(form.find_element(By.ID, "note"), "Disepakati dalam lokakarya finalisasi bersama K/L dan OMS.")
        visit.click_and_load(visit.button(form, "Catat tahap"))
        visit.expect_heading(PROPOSAL)
        visit.assert_text(stage, f"the stage {stage!r} in the timeline")
    visit.assert_text("menjadi Komitmen 1", "the link to the drafted commitment")
    visit.screenshot("secretariat-proposal-adopted")
    assert not driver.find_elements(By.ID, "change"), f"a proposal under review still offered to change\n{visit.where()}"

    visit.step = "4. the secretariat refines the draft where the hints point"
    visit.click_and_load(link(visit, "menjadi Komitmen 1"))
    visit.assert_text("Hanya kegiatan (“sosialisasi”) tanpa hasil yang dituju.", "the hint on the bare-activity target")
    visit.click_and_load(link(visit, "Sunting"))
    visit.expect_heading("Menyunting Komitmen 1")
    visit.type_into(driver.find_element(By.ID, "target-0-B06"), BETTER_TARGET)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main form"), "Simpan"))
    visit.expect_notice("Komitmen disimpan.")
    visit.screenshot("secretariat-editor")
    visit.open(f"/cocreation/plans/{PLAN}")
    form = main_form(visit, "/phases")
    Select(form.find_element(By.ID, "proposals")).select_by_value("closed")
    Select(form.find_element(By.ID, "consultation")).select_by_value("open")
    visit.click_and_load(visit.button(form, "Simpan"))
    visit.expect_notice("Tahapan disimpan.")
    visit.sign_out()

    visit.step = "5. a visitor comments during the consultation"
    visit.open(f"/plans/{PLAN}/commitments/1")
    visit.assert_text(BETTER_TARGET, "the refined target")
    visit.assert_text("Berasal dari usulan", "the link back to the proposal")
    visit.click_and_load(link(visit, PROPOSAL))
    visit.assert_text("Disepakati dalam lokakarya finalisasi bersama K/L dan OMS.", "the decision's published reason")
    visit.screenshot("visitor-proposal-decided")
    visit.open(f"/plans/{PLAN}/commitments/1")
    visit.click_and_load(link(visit, "Beri tanggapan"))
    # Sent without a name (only a space): the comment stays, the message sits beside the name.
    visit.type_into(driver.find_element(By.ID, "name"), " ")
    visit.type_into(driver.find_element(By.ID, "body"), COMMENT)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main form"), "Kirim tanggapan"))
    assert driver.find_element(By.ID, "name-error").text == "Tuliskan nama Anda.", visit.where()
    assert driver.find_element(By.ID, "body").get_attribute("value") == COMMENT, f"the comment was lost\n{visit.where()}"
    visit.type_into(driver.find_element(By.ID, "name"), "Siti Rahma")
    visit.type_into(driver.find_element(By.ID, "organisation"), "Forum Warga Bandung")
    visit.type_into(driver.find_element(By.ID, "body"), COMMENT)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main form"), "Kirim tanggapan"))
    visit.expect_notice("Tanggapan Anda akan ditampilkan setelah diperiksa Sekretariat.")
    visit.screenshot("visitor-comment-held")

    visit.step = "6. the secretariat publishes the comment with its response and adopts the plan"
    visit.sign_in(SECRETARIAT)
    visit.open(f"/cocreation/plans/{PLAN}")
    visit.click_and_load(link(visit, "Moderasi tanggapan"))
    visit.assert_text(COMMENT, "the held comment")
    card = driver.find_element(By.CSS_SELECTOR, "main article.card")
    Select(card.find_element(By.NAME, "status")).select_by_value("published")
    Select(card.find_element(By.NAME, "response")).select_by_value("accepted")
    visit.type_into(card.find_element(By.NAME, "responseText"), RESPONSE)
    visit.click_and_load(visit.button(card, "Simpan"))
    visit.assert_text("Ditampilkan", "the published status")
    visit.open(f"/cocreation/plans/{PLAN}")
    # Adoption is checked: with everything decided and answered nothing is open; without the confirmation it is refused
    # and the note typed stays.
    visit.assert_text("Pemeriksaan sebelum penetapan", "the adoption check")
    visit.assert_text("Tidak ada yang masih terbuka", "a check with nothing open")
    form = main_form(visit, "/adopt")
    visit.type_into(form.find_element(By.ID, "note"), "Keputusan Menteri PPN Nomor 1 Tahun 2025")
    visit.click_and_load(visit.button(form, "Tetapkan rencana aksi"))
    visit.assert_text("Centang konfirmasi", "the refusal without the confirmation")
    form = main_form(visit, "/adopt")
    assert form.find_element(By.ID, "note").get_attribute("value") == "Keputusan Menteri PPN Nomor 1 Tahun 2025", "the note was lost"
    visit.screenshot("secretariat-adoption-unconfirmed")
    form.find_element(By.ID, "confirm").click()
    visit.click_and_load(visit.button(form, "Tetapkan rencana aksi"))
    visit.expect_notice("Rencana aksi ditetapkan; versi 1 dicatat.")
    visit.screenshot("secretariat-plan-adopted")
    visit.sign_out()

    visit.step = "7. the public portal shows the adopted commitment"
    visit.open("/plans")
    visit.click_and_load(link(visit, PLAN_TITLE))
    visit.expect_heading(PLAN_TITLE)
    visit.assert_no_text("Rencana aksi ini masih rancangan", "the draft notice on an adopted plan")
    visit.click_and_load(link(visit, PROPOSAL))
    visit.assert_text(BETTER_TARGET, "the refined target on the portal")
    visit.assert_text(COMMENT, "the published consultation comment")
    visit.assert_text(RESPONSE, "the secretariat's response")
    visit.assert_no_text("Hanya kegiatan", "draft hints on an adopted plan")
    visit.screenshot("visitor-adopted-commitment")
    visit.click_and_load(link(visit, "Versi dan revisi"))
    visit.assert_text("Keputusan Menteri PPN Nomor 1 Tahun 2025", "version 1 and its note")
    visit.screenshot("visitor-versions")

    visit.step = "8. the same in English"
    visit.open(f"/plans/{PLAN}/versions/1?lang=en")
    visit.assert_text("Version 1:", "the English heading of a version")
    visit.assert_text("The plan as adopted:", "the English lead of version 1")
    visit.screenshot("visitor-version-1-en")
    visit.open(f"/cocreation/plans/{PLAN}?lang=en")
    visit.assert_text("This action plan has been adopted.", "the English co-creation page")
    visit.screenshot("visitor-cocreation-en")
    visit.open("/?lang=id")
    visit.step = "end"
