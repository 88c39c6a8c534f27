"""A plan's multi-stakeholder forum in a real browser (headless Chromium through Selenium).

The secretariat opens the forum from the plan's page, types an organisation that is not in the list (refused, what
was typed kept), adds ICW and Bappenas by their acronyms, and records minutes marked as a forum meeting that presented
results; a visitor sees the members by seat and the meeting counted for its year. Screenshots after each step.

Environment: as test_reporting_cycle.py (PANTAU_BINARY, PANTAU_HOME, PANTAU_TEST_OUTPUT, CHROMIUM, CHROMEDRIVER).
"""

from __future__ import annotations


from pantau_browser import Visit, walk, xpath_string
from pantau_results import main_form
from pantau_server import Server, wib_today
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

SECRETARIAT = "sekretariat@pantau.local"
PLAN = "ran-ogi-2020-2022"
MEETING = "Forum multi-pihak: pemaparan capaian"


def test_forum(server: Server, visit: Visit):
    walk(server, visit, lambda: run(visit))


def run(visit: Visit) -> None:
    driver = visit.driver

    visit.step = "1. the secretariat adds the forum's members, first with a name not in the list"
    visit.sign_in(SECRETARIAT)
    visit.open(f"/plans/{PLAN}")
    visit.click_and_load(driver.find_element(By.CSS_SELECTOR, f"main a[href='/plans/{PLAN}/forum']"))
    visit.expect_heading("Forum multi-pihak")
    form = main_form(visit, "/forum")
    visit.type_into(form.find_element(By.ID, "organisation"), "Lembaga Khayalan Sekali")
    Select(form.find_element(By.ID, "seat")).select_by_value("other")
    visit.click_and_load(visit.button(form, "Tambahkan anggota"))
    assert "Lembaga Khayalan Sekali" in driver.find_element(By.ID, "forum-error").text, visit.where()
    assert driver.find_element(By.ID, "organisation").get_attribute("value") == "Lembaga Khayalan Sekali", visit.where()
    visit.screenshot("secretariat-unknown-organisation")
    for acronym, seat in (("ICW", "civil_society"), ("Bappenas", "government")):
        form = main_form(visit, "/forum")
        visit.type_into(form.find_element(By.ID, "organisation"), acronym)
        Select(form.find_element(By.ID, "seat")).select_by_value(seat)
        visit.click_and_load(visit.button(form, "Tambahkan anggota"))
        visit.expect_notice("Anggota forum ditambahkan.")
    visit.screenshot("secretariat-members")

    visit.step = "2. the secretariat records and publishes the minutes of a forum meeting"
    visit.open("/meetings/new")
    form = main_form(visit, "/meetings")
    Select(form.find_element(By.ID, "plan")).select_by_value(PLAN)
    visit.type_into(form.find_element(By.ID, "title"), MEETING)
    driver.execute_script("arguments[0].value = arguments[1];", form.find_element(By.ID, "date"), wib_today().isoformat())
    visit.type_into(form.find_element(By.ID, "participants"), "Ani; Indonesia Corruption Watch")
    for name in ("presentsResults", "forumMeeting"):
        box = form.find_element(By.NAME, name)
        if not box.is_selected():
            box.click()
    visit.click_and_load(visit.button(form, "Simpan"))
    visit.expect_heading(MEETING)
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Publikasikan notula"))
    visit.assert_text("Rapat forum multi-pihak", "the minutes marked as the forum's")
    visit.sign_out()

    visit.step = "3. a visitor sees the forum on record"
    visit.open(f"/plans/{PLAN}/forum")
    page = driver.find_element(By.TAG_NAME, "main").text
    assert "Indonesia Corruption Watch" in page and "Masyarakat sipil" in page, visit.where()
    assert MEETING in page, visit.where()
    row = driver.find_element(By.XPATH, f"//main//table//tr[th[normalize-space()={xpath_string(str(wib_today().year))}]]")
    assert row.find_elements(By.TAG_NAME, "td")[1].text == "1", visit.where()
    visit.screenshot("visitor-forum")
