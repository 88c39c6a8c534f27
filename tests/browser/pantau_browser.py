"""What the browser tests share: a person using Pantau's pages in headless Chromium, with waits and screenshots."""

from __future__ import annotations

import os
import re
from pathlib import Path

from pantau_server import Server
from selenium import webdriver
from selenium.common.exceptions import StaleElementReferenceException, TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

CHROMIUM_PATH = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER_PATH = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")
WAIT = 20  # seconds for any page to show what is expected


def chromium(downloads: Path) -> webdriver.Chrome:
    """A headless Chromium at 1280 px that downloads into `downloads` without asking."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM_PATH
    for argument in ("--headless=new", "--no-sandbox", "--window-size=1280,1000", "--disable-dev-shm-usage",
                     "--lang=id-ID"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {
        "download.default_directory": str(downloads),
        "download.prompt_for_download": False,
        "download.directory_upgrade": True,
        "safebrowsing.enabled": True,
        "plugins.always_open_pdf_externally": True,
    })
    browser = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER_PATH))
    browser.set_window_size(1280, 1000)
    browser.set_page_load_timeout(60)
    try:
        browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    except WebDriverException:
        pass  # the preferences above are enough on most versions
    return browser


class Visit:
    """The browser as one person at a time uses it, with waits and screenshots."""

    def __init__(self, driver: webdriver.Chrome, server: Server, output: Path) -> None:
        self.driver = driver
        self.server = server
        self.output = output
        self.shot = 0
        self.step = "start"
        self.app_bugs: list[str] = []

    # Reading the page

    def body_text(self) -> str:
        try:
            return self.driver.find_element(By.TAG_NAME, "body").text
        except WebDriverException:
            return ""

    def where(self) -> str:
        text = self.body_text()
        excerpt = text if len(text) <= 1500 else text[:1500] + " …"
        return f"[step: {self.step}] at {self.driver.current_url}\n--- page text ---\n{excerpt}\n---"

    def wait_for(self, condition, what: str, timeout: float = WAIT):
        try:
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(StaleElementReferenceException,)).until(condition)
        except TimeoutException:
            raise AssertionError(f"waited {timeout}s for {what}, in vain\n{self.where()}") from None

    def wait_text(self, text: str, what: str | None = None) -> None:
        self.wait_for(lambda d: text in self.body_text(), what or f"the text {text!r} on the page")

    def assert_text(self, text: str, what: str) -> None:
        assert text in self.body_text(), f"expected {what}: {text!r} not on the page\n{self.where()}"

    def assert_no_text(self, text: str, what: str) -> None:
        assert text not in self.body_text(), f"did not expect {what}: {text!r} is on the page\n{self.where()}"

    def heading(self) -> str:
        return self.wait_for(EC.visibility_of_element_located((By.TAG_NAME, "h1")), "the page's heading").text

    def expect_heading(self, text: str) -> None:
        self.wait_for(lambda d: d.find_element(By.TAG_NAME, "h1").text.strip() == text, f"the heading {text!r}")

    def notice(self) -> str:
        notices = self.driver.find_elements(By.CSS_SELECTOR, "main p.notice[role=status], main p.alert")
        return " / ".join(n.text for n in notices)

    def expect_notice(self, text: str) -> None:
        self.wait_for(lambda d: any(text in n.text for n in d.find_elements(By.CSS_SELECTOR, "main p.notice[role=status]")),
                      f"the notice {text!r}")
        alerts = [a.text for a in self.driver.find_elements(By.CSS_SELECTOR, "main .alert")]
        assert not alerts, f"unexpected error on the page: {alerts}\n{self.where()}"

    def field_value(self, label: str) -> str:
        """The text of the <dd> after the <dt> labelled `label` in the report summary."""
        terms = self.driver.find_elements(By.CSS_SELECTOR, "dl.parties dt")
        for term in terms:
            if term.text.strip() == label:
                return term.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        raise AssertionError(f"no {label!r} row in the report summary\n{self.where()}")

    def field_or_none(self, label: str) -> str | None:
        for term in self.driver.find_elements(By.CSS_SELECTOR, "dl.parties dt"):
            if term.text.strip() == label:
                return term.find_element(By.XPATH, "following-sibling::dd[1]").text.strip()
        return None

    def app_bug(self, ok: bool, description: str) -> None:
        """A check of the app's correct behaviour that should not stop the walk: all failures are reported at the end."""
        if not ok:
            self.app_bugs.append(f"[{self.step}] {description} (at {self.driver.current_url})")

    def expect_status(self, status: str) -> None:
        self.wait_for(lambda d: self.field_value("Status").startswith(status), f"the report status {status!r}")

    # Acting

    def open(self, path: str) -> None:
        self.driver.get(self.server.base_url + path)
        self.wait_for(lambda d: d.execute_script("return document.readyState") == "complete", f"{path} to load")

    def click_and_load(self, element: WebElement) -> None:
        """Clicks something that loads a new page and waits until the old page is gone and the new one is complete."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
        element.click()
        self.await_next_page(old, "the click")

    def await_next_page(self, old: WebElement, after: str) -> None:
        """Waits until the document of `old` is replaced and the next one is complete, and fails on an error page."""
        self.wait_for(lambda d: page_left(old), f"the next page after {after}")
        self.wait_for(lambda d: d.execute_script("return document.readyState") == "complete", "the next page to load")
        problem = self.driver.find_elements(By.CSS_SELECTOR, "main .alert")
        assert not problem, f"the page reports an error: {problem[0].text!r}\n{self.where()}"

    def nav_link(self, text: str) -> WebElement:
        return self.wait_for(EC.element_to_be_clickable((By.XPATH, f"//header//nav//a[normalize-space()='{text}']")),
                             f"the navigation link {text!r}")

    def type_into(self, element: WebElement, text: str) -> None:
        element.clear()
        element.send_keys(text)
        assert element.get_attribute("value") == text, f"typing into {element.get_attribute('id')!r} did not stick"

    def button(self, within: WebElement | None, text: str) -> WebElement:
        scope = within or self.driver
        buttons = [b for b in scope.find_elements(By.TAG_NAME, "button") if b.text.strip() == text]
        assert buttons, f"no button {text!r}\n{self.where()}"
        return buttons[0]

    def sign_in(self, email: str) -> None:
        self.open("/?lang=id")  # the steps below read the Indonesian labels
        self.click_and_load(self.nav_link("Masuk"))
        self.expect_heading("Masuk")
        self.type_into(self.driver.find_element(By.ID, "email"), email)
        self.type_into(self.driver.find_element(By.ID, "password"), self.server.passwords[email])
        self.click_and_load(self.button(self.driver.find_element(By.CSS_SELECTOR, "main form"), "Masuk"))
        self.wait_for(lambda d: d.find_elements(By.XPATH, "//header//button[normalize-space()='Keluar']"),
                      f"{email} to be signed in (the 'Keluar' button)")

    def sign_out(self) -> None:
        self.click_and_load(self.button(self.driver.find_element(By.CSS_SELECTOR, "header"), "Keluar"))
        self.nav_link("Masuk")
        assert not self.driver.find_elements(By.XPATH, "//header//button[normalize-space()='Keluar']"), \
            f"still signed in after 'Keluar'\n{self.where()}"

    def screenshot(self, name: str) -> Path:
        """A full-page PNG: the window is made as tall as the page first, then set back."""
        self.shot += 1
        path = self.output / f"{self.shot:02d}-{name}.png"
        height, chrome = self.driver.execute_script(
            "return [Math.max(document.body.scrollHeight, document.documentElement.scrollHeight),"
            " window.outerHeight - window.innerHeight];")
        self.driver.set_window_size(1280, max(1000, int(height) + max(0, int(chrome))))
        try:
            self.driver.execute_script("window.scrollTo(0, 0);")
            self.driver.save_screenshot(str(path))
        finally:
            self.driver.set_window_size(1280, 1000)
        return path


    def phone_screenshot(self, name: str, width: int = 375) -> Path:
        """The page as a phone shows it: `width` px wide, full height; fails if anything makes the page scroll sideways."""
        self.shot += 1
        path = self.output / f"{self.shot:02d}-{name}-{width}px.png"
        try:
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True})
            height, overflow = self.driver.execute_script(
                "return [document.documentElement.scrollHeight, document.documentElement.scrollWidth - window.innerWidth];")
            self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                        {"width": width, "height": int(height), "deviceScaleFactor": 1, "mobile": True})
            self.driver.execute_script("window.scrollTo(0, 0);")
            self.driver.save_screenshot(str(path))
        finally:
            self.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        assert overflow <= 1, f"at {width} px the page scrolls sideways by {overflow} px\n{self.where()}"
        return path


def page_left(old_root: WebElement) -> bool:
    """Whether the document `old_root` belonged to has been replaced. While Chromium swaps documents, chromedriver
    may answer "Node with given id does not belong to the document" rather than "stale element": both mean gone."""
    try:
        old_root.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error) or "No node with given id" in str(error):
            return True
        raise


def xpath_string(text: str) -> str:
    if "'" not in text:
        return f"'{text}'"
    if '"' not in text:
        return f'"{text}"'
    return "concat(" + ", \"'\", ".join(f"'{part}'" for part in text.split("'")) + ")"


def walk(server: Server, visit: Visit, steps) -> None:
    """Runs a walk through the pages (`steps()`); when it fails, saves a screenshot named after the step it was on and
    prints where the browser was and the server's log, then fails."""
    try:
        steps()
    except BaseException:
        try:
            if visit.step != "end":
                visit.screenshot("FAILED-" + re.sub(r"[^a-z0-9]+", "-", visit.step.lower()).strip("-"))
        except Exception:  # noqa: BLE001 - the failure itself matters more than its picture
            pass
        print(visit.where())
        print(server.log())
        raise
