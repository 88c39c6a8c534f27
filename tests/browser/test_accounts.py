"""The secretariat's accounts in a real browser (headless Chromium through Selenium).

The secretariat creates an account and forgets to choose a role (the form comes back with what was typed and the
message beside the field), finds the organisation by its acronym, reads the one-time password after the redirect (a
reload no longer shows it), then deactivates a CSO's account: its open session stops and its sign-in is refused with
a message that says why. A full-page screenshot is saved after each step.

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
