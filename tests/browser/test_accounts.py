"""The secretariat's accounts in a real browser (headless Chromium through Selenium).

The secretariat creates an account and forgets to choose a role (the form comes back with what was typed and the
message beside the field), finds the organisation by its acronym, reads the one-time password after the redirect (a
reload no longer shows it), then deactivates a CSO's account: its open session stops and its sign-in is refused with
a message that says why. Then a reviewer account for one plan only: saved first without a plan ticked (refused beside
the field), then with RAN OGI; signed in, the reviewer reads RAN OGI's assessments and is refused RAN OPI's. A
full-page screenshot is saved after each step.

Environment: as test_reporting_cycle.py (PANTAU_BINARY, PANTAU_HOME, PANTAU_TEST_OUTPUT, CHROMIUM, CHROMEDRIVER).
"""

from __future__ import annotations


from pantau_browser import Visit
from pantau_server import Server
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select


SECRETARIAT = "sekretariat@pantau.local"
CSO = "demo.oms@pantau.local"
NEW_NAME = "Rina Pelaksana"
NEW_EMAIL = "rina@kemenpan.test"
PLAN_REVIEWER = "reviu.ogi@contoh.test"


def test_accounts(server: Server, visit: Visit):
    driver = visit.driver

    visit.step = "1. a new account, role forgotten"
    visit.sign_in(SECRETARIAT)
    visit.open("/admin/users")
    visit.expect_heading("Akun")
    form = driver.find_element(By.CSS_SELECTOR, "form.card[action='/admin/users']")
    visit.type_into(form.find_element(By.ID, "name"), NEW_NAME)
    visit.type_into(form.find_element(By.ID, "email"), NEW_EMAIL)
    role = Select(form.find_element(By.ID, "role"))
    assert role.first_selected_option.get_attribute("value") == "", "a role is chosen before anyone chose one"
    visit.type_into(form.find_element(By.ID, "organisation"), "KemenPAN")
    # The browser would refuse the empty required select; the server must too, for clients that skip the check.
    driver.execute_script("arguments[0].removeAttribute('required')", form.find_element(By.ID, "role"))
    visit.click_and_load(visit.button(form, "Simpan"))
    errors = driver.find_elements(By.CSS_SELECTOR, "p.field-error")
    assert errors, f"no message beside a field\n{visit.where()}"
    assert driver.find_element(By.ID, "name").get_attribute("value") == NEW_NAME, f"the typed name was lost\n{visit.where()}"
    assert driver.find_element(By.ID, "organisation").get_attribute("value") == "KemenPAN", visit.where()
    visit.screenshot("role-forgotten")
    visit.phone_screenshot("role-forgotten")

    visit.step = "2. the account is made; its password is shown once"
    form = driver.find_element(By.CSS_SELECTOR, "form.card[action='/admin/users']")
    Select(form.find_element(By.ID, "role")).select_by_value("implementer")
    visit.click_and_load(visit.button(form, "Simpan"))
    shown = driver.find_elements(By.CSS_SELECTOR, ".once")
    assert shown and len(shown[0].text) >= 12, f"no one-time password after the redirect\n{visit.where()}"
    assert "/admin/users/" in driver.current_url, driver.current_url
    visit.screenshot("password-shown-once")
    driver.refresh()
    assert not driver.find_elements(By.CSS_SELECTOR, ".once"), f"the password is shown again after a reload\n{visit.where()}"

    visit.step = "3. the CSO's account is deactivated"
    visit.open("/admin/users")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr") if CSO in r.text]
    assert row, f"{CSO} is not listed\n{visit.where()}"
    visit.click_and_load(row[0].find_element(By.LINK_TEXT, "Ubah"))
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Nonaktifkan akun"))
    visit.expect_notice("dinonaktifkan")
    visit.screenshot("cso-deactivated")
    visit.sign_out()

    visit.step = "4. the deactivated account cannot sign in"
    visit.open("/login")
    visit.type_into(driver.find_element(By.ID, "email"), CSO)
    visit.type_into(driver.find_element(By.ID, "password"), server.passwords[CSO])
    # Refused on purpose: the page answers with an alert, which click_and_load would take for a failure.
    visit.button(driver.find_element(By.CSS_SELECTOR, "main form"), "Masuk").click()
    visit.wait_text("Akun ini dinonaktifkan", "the reason the sign-in is refused")
    assert not driver.find_elements(By.XPATH, "//header//button[normalize-space()='Keluar']"), \
        f"a deactivated account signed in\n{visit.where()}"
    visit.screenshot("deactivated-sign-in-refused")

    visit.step = "5. a reviewer for one plan: first with no plan ticked"
    visit.sign_in(SECRETARIAT)
    visit.open("/admin/users")
    form = driver.find_element(By.CSS_SELECTOR, "form.card[action='/admin/users']")
    visit.type_into(form.find_element(By.ID, "name"), "Reviu OGI")
    visit.type_into(form.find_element(By.ID, "email"), PLAN_REVIEWER)
    Select(form.find_element(By.ID, "role")).select_by_value("reviewer")
    visit.click_and_load(visit.button(form, "Simpan"))
    assert driver.find_elements(By.ID, "plans-error"), f"no message beside the plans\n{visit.where()}"
    assert driver.find_element(By.ID, "email").get_attribute("value") == PLAN_REVIEWER, visit.where()
    visit.screenshot("reviewer-without-plan")

    visit.step = "6. the reviewer is given RAN OGI only"
    form = driver.find_element(By.CSS_SELECTOR, "form.card[action='/admin/users']")
    form.find_element(By.CSS_SELECTOR, "input[name='plans[]'][value='ran-ogi-2020-2022']").click()
    visit.click_and_load(visit.button(form, "Simpan"))
    shown = driver.find_elements(By.CSS_SELECTOR, ".once")
    assert shown, f"no one-time password\n{visit.where()}"
    server.passwords[PLAN_REVIEWER] = shown[0].text.strip()
    visit.screenshot("reviewer-for-one-plan")
    visit.sign_out()

    visit.step = "7. the reviewer reads its plan and is refused the other"
    visit.sign_in(PLAN_REVIEWER)
    visit.open("/verify/plans/ran-ogi-2020-2022/B06")
    visit.assert_no_text("tidak berhak", "the reviewer's own plan")
    visit.screenshot("reviewer-own-plan")
    visit.open("/verify/plans/ran-opi-2020-2022/B06")
    visit.wait_text("Akun Anda tidak berhak melakukan ini.", "the refusal of another plan")
    visit.screenshot("reviewer-other-plan-refused")
