"""A Pantau with something on every kind of page, made through the pages themselves (clicks and typing).

The secretariat opens the reporting windows of ran-ogi-2020-2022 · B06 and B12 (closing today, verification from today),
records and publishes a meeting, and starts a draft plan with its call for proposals open; the ministry's
implementer reports on two targets (the first with a PDF as public evidence); a CSO proposes a commitment; the
secretariat scores the first report and publishes B06 with a reason, leaving the second report in the queue.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

from pantau_browser import Visit
from pantau_server import wib_today
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

PLAN = "ran-ogi-2020-2022"
SEMESTER = "B06"
OPEN_SEMESTER = "B12"  # open for reporting and never published, for the pages of work in progress
DRAFT_PLAN = "ran-ogi-2025-2027"
DRAFT_TITLE = "Rencana Aksi Nasional Keterbukaan Pemerintah 2025-2027"
MEETING_TITLE = "Rapat koordinasi pemantauan B06"
PROPOSAL_TITLE = "Kanal aduan layanan publik yang terlacak"
REPORTS = (
    ("Pedoman keterbukaan data disusun bersama OMS dan ditetapkan dengan surat keputusan.", "100"),
    ("Konsultasi publik dilakukan di tiga provinsi; rancangan pedoman masih dibahas.", "60"),
)
SCORE = "85"


@dataclass
class Results:
    """Where the things made live, for the pages that show them."""
    scored_commitment: int
    scored_report: str  # path of the scored report in verification
    queued_report: str  # path of the report still waiting for a score
    owed_target: str  # path of the implementer's report form of the scored target
    open_target: str  # path of the report form of a B12 target, open for writing
    meeting: str
    proposal: str


def main_form(visit: Visit, action_suffix: str):
    forms = visit.driver.find_elements(By.CSS_SELECTOR, f"main form[action$='{action_suffix}']")
    assert forms, f"no form posting to …{action_suffix}\n{visit.where()}"
    return forms[0]


def path_of(visit: Visit) -> str:
    return visit.driver.current_url.replace(visit.server.base_url, "")


def open_window(visit: Visit, semester: str) -> None:
    today = wib_today()
    days = {"reportOpens": today - datetime.timedelta(days=3), "reportCloses": today,
            "verifyOpens": today, "verifyCloses": today + datetime.timedelta(days=7)}
    visit.open("/admin/semesters")
    article = next(a for a in visit.driver.find_elements(By.CSS_SELECTOR, "main article")
                   if a.find_element(By.TAG_NAME, "h2").text.startswith(f"{PLAN} · {semester}"))
    form = article.find_element(By.CSS_SELECTOR, "form[action$='/window']")
    for name, day in days.items():
        visit.driver.execute_script("arguments[0].value = arguments[1];", form.find_element(By.NAME, name), day.isoformat())
    visit.click_and_load(visit.button(form, "Simpan periode"))


def record_meeting(visit: Visit) -> str:
    driver = visit.driver
    visit.open("/meetings/new")
    visit.type_into(driver.find_element(By.ID, "title"), MEETING_TITLE)
    driver.execute_script("arguments[0].value = arguments[1];", driver.find_element(By.ID, "date"), wib_today().isoformat())
    visit.type_into(driver.find_element(By.ID, "place"), "Kantor Bappenas, Jakarta")
    visit.type_into(driver.find_element(By.ID, "participants"), "Sekretariat OGI\nKementerian Hukum dan HAM")
    visit.type_into(driver.find_element(By.ID, "points"), "Laporan B06 dibahas bersama pelaksana.")
    visit.type_into(driver.find_element(By.ID, "commitments"), "2")
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main form"), "Simpan"))
    meeting = path_of(visit)
    publish = main_form(visit, "/publish")
    visit.click_and_load(publish.find_element(By.TAG_NAME, "button"))
    return meeting


def start_draft_plan(visit: Visit, code: str = DRAFT_PLAN, title: str = DRAFT_TITLE) -> None:
    """On the co-creation page, as the secretariat: creates a draft plan starting 2025-01 and opens its call."""
    form = main_form(visit, "/cocreation/plans")
    visit.type_into(form.find_element(By.ID, "code"), code)
    visit.type_into(form.find_element(By.ID, "title"), title)
    visit.driver.execute_script("arguments[0].value = '2025-01';", form.find_element(By.ID, "start"))
    visit.click_and_load(visit.button(form, "Buat rancangan"))
    visit.expect_heading(title)
    form = main_form(visit, "/phases")
    Select(form.find_element(By.ID, "proposals")).select_by_value("open")
    visit.click_and_load(visit.button(form, "Simpan"))
    visit.expect_notice("Tahapan disimpan.")


def propose(visit: Visit) -> str:
    driver = visit.driver
    visit.open(f"/cocreation/plans/{DRAFT_PLAN}/proposals/new")
    visit.type_into(driver.find_element(By.ID, "title"), PROPOSAL_TITLE)
    visit.type_into(driver.find_element(By.ID, "problem"), "Aduan warga atas layanan publik sering tidak jelas tindak lanjutnya.")
    visit.type_into(driver.find_element(By.ID, "commitment"), "Membangun kanal aduan yang dapat dilacak warga sampai selesai.")
    visit.type_into(driver.find_element(By.ID, "measure-0"), "Kanal aduan terlacak beroperasi di pemerintah daerah")
    visit.type_into(driver.find_element(By.ID, "target-0-B06"), "SOP kanal aduan ditetapkan dan diterapkan di 10 daerah")
    visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Kirim usulan"))
    visit.expect_heading(PROPOSAL_TITLE)
    return path_of(visit)


def owed_links(visit: Visit, semester: str) -> list[str]:
    """The report forms of the targets of `semester` on the implementer's list, as paths."""
    visit.open("/report")
    links = []
    for row in visit.driver.find_elements(By.CSS_SELECTOR, "table.list tbody tr"):
        cells = row.find_elements(By.TAG_NAME, "td")
        if cells and cells[0].text.strip() == f"{PLAN} · {semester}":
            links.append(cells[2].find_element(By.TAG_NAME, "a").get_attribute("href").replace(visit.server.base_url, ""))
    return links


def report(visit: Visit, evidence: Path) -> list[tuple[str, str]]:
    """Reports on the first B06 targets owed; returns (target text, report form path) per report."""
    driver = visit.driver
    links = owed_links(visit, SEMESTER)
    assert len(links) >= len(REPORTS), f"only {len(links)} B06 targets owed\n{visit.where()}"
    done = []
    for index, (achievement, progress) in enumerate(REPORTS):
        visit.open(links[index])
        target = visit.field_value("Target")
        visit.type_into(driver.find_element(By.ID, "achievement"), achievement)
        visit.type_into(driver.find_element(By.ID, "progress"), progress)
        if index == 0:
            driver.find_element(By.ID, "file").send_keys(str(evidence))
            visit.type_into(driver.find_element(By.ID, "description"), "Notulen rapat konsultasi publik")
            driver.find_element(By.CSS_SELECTOR, "input[name='visibility'][value='public']").click()
        visit.click_and_load(visit.button(driver.find_element(By.CSS_SELECTOR, "main"), "Serahkan laporan"))
        done.append((target, path_of(visit)))
    return done


def score_and_publish(visit: Visit, scored_target: str) -> tuple[str, str, int]:
    """Scores the report of `scored_target`, publishes B06; returns (scored path, queued path, commitment number)."""
    driver = visit.driver
    visit.open("/verify")
    scored, queued = None, None
    for cell in driver.find_elements(By.XPATH, "//main//table//tr/td/a"):
        href = cell.get_attribute("href").replace(visit.server.base_url, "")
        if cell.text.strip() == scored_target and scored is None:
            scored = href
        elif queued is None:
            queued = href
    assert scored and queued, f"the reports are not both in the queue\n{visit.where()}"
    visit.open(scored)
    number = int(re.match(r"(\d+)\.", visit.field_value("Komitmen")).group(1))
    form = driver.find_element(By.ID, "score").find_element(By.XPATH, "./ancestor::form")
    visit.type_into(driver.find_element(By.ID, "score"), SCORE)
    visit.click_and_load(visit.button(form, "Simpan nilai"))
    visit.open(f"/admin/plans/{PLAN}/publish/{SEMESTER}")
    form = driver.find_element(By.ID, "reason").find_element(By.XPATH, "./ancestor::form")
    visit.type_into(form.find_element(By.ID, "reason"), "Hasil sementara: laporan lain masih diverifikasi.")
    form.find_element(By.NAME, "confirm").click()
    visit.click_and_load(visit.button(form, f"Publikasikan {SEMESTER}"))
    return scored, queued, number


def make_results(visit: Visit, secretariat: str, implementer: str, cso: str, evidence: Path) -> Results:
    visit.step = "setting up: the secretariat opens B06, records a meeting and starts a draft plan"
    visit.sign_in(secretariat)
    open_window(visit, SEMESTER)
    open_window(visit, OPEN_SEMESTER)
    meeting = record_meeting(visit)
    visit.open("/cocreation")
    start_draft_plan(visit)
    visit.sign_out()
    visit.step = "setting up: the ministry reports"
    visit.sign_in(implementer)
    reports = report(visit, evidence)
    open_target = owed_links(visit, OPEN_SEMESTER)[0]
    visit.sign_out()
    visit.step = "setting up: a CSO proposes"
    visit.sign_in(cso)
    proposal = propose(visit)
    visit.sign_out()
    visit.step = "setting up: the secretariat scores and publishes"
    visit.sign_in(secretariat)
    scored, queued, number = score_and_publish(visit, reports[0][0])
    visit.sign_out()
    return Results(scored_commitment=number, scored_report=scored, queued_report=queued, owed_target=reports[0][1], open_target=open_target,
                   meeting=meeting, proposal=proposal)
