"""An independent monitor and the national overview in a real browser (headless Chromium through Selenium).

The national secretariat gives RAN OGI an independent monitor (an account for that plan only). The monitor signs in,
finds the plan's semesters on its work page, opens B06, sends a commitment's assessment with no rating (the form
comes back with the text kept and the message beside the rating), saves a draft, reloads the page (nothing is sent
twice), publishes, and is refused RAN OPI's monitoring page. A visitor then reads the published assessment on the
commitment's page, beside the secretariat's score, and the national overview of the year with both plans, sorted by
coverage. A full-page screenshot is saved after each step, and the overview at phone width too.

Environment: as test_reporting_cycle.py (PANTAU_BINARY, PANTAU_HOME, PANTAU_TEST_OUTPUT, CHROMIUM, CHROMEDRIVER).
"""

from __future__ import annotations

from pantau_browser import Visit
from pantau_server import Server
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

SECRETARIAT = "sekretariat@pantau.local"
MONITOR = "pemantau.ogi@contoh.test"
PLAN = "ran-ogi-2020-2022"
DRAFT = "Draf: rapat koordinasi belum menghasilkan rancangan."
PUBLISHED = "Rancangan regulasi telah dibahas dengan OMS; dua dari tiga target semester ini tercapai."


def commitment_form(visit: Visit, number: int):
    article = visit.driver.find_element(By.ID, f"commitment-{number}")
    return article.find_element(By.TAG_NAME, "form")


def test_an_independent_monitor_and_the_overview(server: Server, visit: Visit):
    driver = visit.driver

    visit.step = "1. the national secretariat gives RAN OGI an independent monitor"
    visit.sign_in(SECRETARIAT)
    visit.open("/admin/users")
    form = driver.find_element(By.CSS_SELECTOR, "form.card[action='/admin/users']")
    visit.type_into(form.find_element(By.ID, "name"), "Badan Pemantau OGI")
    visit.type_into(form.find_element(By.ID, "email"), MONITOR)
    Select(form.find_element(By.ID, "role")).select_by_value("monitor")
    form.find_element(By.CSS_SELECTOR, f"input[name='plans[]'][value='{PLAN}']").click()
    visit.click_and_load(visit.button(form, "Simpan"))
    shown = driver.find_elements(By.CSS_SELECTOR, ".once")
    assert shown, f"no one-time password for the monitor\n{visit.where()}"
    server.passwords[MONITOR] = shown[0].text.strip()
    visit.screenshot("monitor-account")
    visit.sign_out()

    visit.step = "2. the monitor finds its plan's semesters on its work page"
    visit.sign_in(MONITOR)
    visit.open("/work")
    visit.assert_text("Penilaian independen", "the monitoring section of the work page")
    links = [a for a in driver.find_elements(By.CSS_SELECTOR, "main a") if a.get_attribute("href").endswith(f"/monitor/plans/{PLAN}/B06")]
    assert links, f"no link to RAN OGI's B06\n{visit.where()}"
    visit.screenshot("work-page")
    visit.click_and_load(links[0])
    visit.expect_heading("Penilaian independen semester B06")
    visit.assert_text("Skor sekretariat", "the secretariat's score beside the form")

    visit.step = "3. an assessment sent without a rating comes back with the text kept"
    form = commitment_form(visit, 1)
    visit.type_into(form.find_element(By.TAG_NAME, "textarea"), DRAFT)
    visit.click_and_load(visit.button(form, "Simpan draf"))
    visit.assert_text("Pilih tingkat penyelesaian.", "the message beside the rating")
    assert commitment_form(visit, 1).find_element(By.TAG_NAME, "textarea").get_attribute("value") == DRAFT, \
        f"the typed assessment was lost\n{visit.where()}"
    visit.screenshot("rating-missing")

    visit.step = "4. a draft, and a reload sends nothing again"
    form = commitment_form(visit, 1)
    Select(form.find_element(By.TAG_NAME, "select")).select_by_value("limited")
    visit.click_and_load(visit.button(form, "Simpan draf"))
    visit.expect_notice("Draf penilaian disimpan.")
    driver.refresh()
    visit.expect_heading("Penilaian independen semester B06")
    visit.assert_text("Draf, belum diterbitkan", "the draft's state")
    visit.screenshot("draft-saved")

    visit.step = "5. published: a change is now published at once"
    form = commitment_form(visit, 1)
    Select(form.find_element(By.TAG_NAME, "select")).select_by_value("substantial")
    textarea = form.find_element(By.TAG_NAME, "textarea")
    textarea.clear()
    visit.type_into(textarea, PUBLISHED)
    visit.click_and_load(visit.button(form, "Terbitkan"))
    visit.expect_notice("Penilaian independen diterbitkan.")
    form = commitment_form(visit, 1)
    assert not [b for b in form.find_elements(By.TAG_NAME, "button") if b.text.strip() == "Simpan draf"], \
        f"a published assessment still offers a draft\n{visit.where()}"
    visit.screenshot("published")

    visit.step = "6. the monitor of RAN OGI is refused RAN OPI"
    visit.open("/monitor/plans/ran-opi-2020-2022/B06")
    visit.wait_text("Akun Anda tidak berhak melakukan ini.", "the refusal of another plan")
    visit.sign_out()

    visit.step = "7. a visitor reads the assessment beside the secretariat's score"
    visit.open(f"/plans/{PLAN}/commitments/1?lang=id")
    visit.assert_text("Penilaian pemantau independen", "the monitor's section on the commitment page")
    visit.assert_text(PUBLISHED, "the published assessment")
    visit.assert_no_text(DRAFT, "the draft, which was never public")
    visit.screenshot("commitment-page")

    visit.step = "8. the national overview of a year, sorted by coverage"
    visit.open("/overview?lang=id")
    visit.assert_text("Ikhtisar nasional", "the overview's heading")
    Select(driver.find_element(By.ID, "period")).select_by_value("2021")
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main form"), "Tampilkan"))
    visit.expect_heading("Ikhtisar nasional: tahun 2021")
    rows = driver.find_elements(By.CSS_SELECTOR, "main table.list tbody tr")
    assert len(rows) >= 2, f"fewer than two plans in 2021\n{visit.where()}"
    visit.click_and_load(driver.find_element(By.LINK_TEXT, "Target dinilai"))
    assert "sort=coverage" in driver.current_url, driver.current_url
    visit.assert_text("Persyaratan minimum", "the minimum requirements column")
    visit.screenshot("overview-2021")
    visit.phone_screenshot("overview-2021")
