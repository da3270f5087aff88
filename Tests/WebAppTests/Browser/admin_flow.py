"""The admin's whole path through the web app in headless Chromium, against the real server.

Usage: admin_flow.py FLEXSCHED DATA_DIR ADMIN_PASSWORD API_TOKEN SCENARIO_FILE ARTIFACTS_DIR

Starts `flexsched serve` on a free loopback port, signs in, uploads the scenario with the file
input, solves it and waits for the live progress to finish, opens a teacher's grid and checks one
of her sessions is there, publishes, opens her personal page, follows its .ics link and reads the
calendar with python3-icalendar. Screenshots go to ARTIFACTS_DIR. Exits non-zero on any failure.
"""
import os
import sys
import urllib.request

from icalendar import Calendar
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from served import Served, check, start_solve

flexsched, data, password, token, scenario_file, artifacts = sys.argv[1:7]
os.makedirs(artifacts, exist_ok=True)

served = Served(flexsched, data, token)
base, api = served.base, served.api
try:
    served.wait_until_up()

    driver = served.chromium("--window-size=1280,1000")
    # The run page reloads itself when the run ends: an element may vanish between finding and reading it.
    wait = WebDriverWait(driver, 120, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))

    driver.get(base + "/")
    check(driver.current_url.endswith("/signin"), f"a visitor is sent to sign in, not {driver.current_url}")
    driver.find_element(By.ID, "name").send_keys("ada")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button").click()
    wait.until(ready.url_contains("/scenarios"))

    # After every navigation, wait for what comes next: the URL changes before the page has loaded.
    wait.until(ready.presence_of_element_located((By.ID, "file"))).send_keys(os.path.abspath(scenario_file))
    driver.find_element(By.ID, "upload").click()
    wait.until(ready.presence_of_element_located((By.ID, "start")))
    check("Maple Grove" in driver.find_element(By.TAG_NAME, "h1").text, "the scenario page names the uploaded scenario")

    run_url = start_solve(driver, wait, 5)
    # The final progress is shown (waited for: the rest of the reloaded page may still be arriving).
    wait.until(lambda d: d.find_element(By.ID, "elapsed").text.endswith(" s"))

    timetable = api(run_url[len(base):].replace("/runs/", "/api/v1/runs/"))["timetable"]
    hers = [s for s in timetable["sessions"] if s.get("teacher") == "lee" or "lee" in (s.get("teachers") or [])]
    check(hers, "Ms. Lee teaches in the example's timetable")
    # The finished page may still be loading after the page reloaded itself.
    wait.until(ready.element_to_be_clickable((By.LINK_TEXT, "Ms. Lee"))).click()
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "table.week")))
    cells = [c.text.lower() for c in driver.find_elements(By.CSS_SELECTOR, "table.week .s .what")]
    check(any(hers[0]["subject"].lower() in c for c in cells), f"her {hers[0]['subject']} session is in the grid: {cells}")
    driver.save_screenshot(os.path.join(artifacts, "teacher-grid.png"))

    driver.get(run_url)
    wait.until(ready.element_to_be_clickable((By.ID, "publish"))).click()
    wait.until(ready.presence_of_element_located((By.ID, "added")))
    check(int(driver.find_element(By.ID, "added").text) > 0, "the first publication adds events")
    check("Ms. Lee" in driver.find_element(By.TAG_NAME, "main").text, "she is among the people to tell")

    scenario = api("/api/v1/scenarios")[0]["id"]
    # The links page, long private links and all, fits a laptop's screen.
    driver.get(f"{base}/scenarios/{scenario}/links")
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "table.links")))
    widths = driver.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    check(widths[0] <= widths[1], f"the links page scrolls sideways: {widths[0]} px in a {widths[1]} px window")

    feeds = api(f"/api/v1/scenarios/{scenario}/feeds")
    page = next(f["page"] for f in feeds if f["kind"] == "teacher" and f["id"] == "lee")
    driver.get(page)
    wait.until(ready.presence_of_element_located((By.CSS_SELECTOR, "table.week")))
    cells = [c.text.lower() for c in driver.find_elements(By.CSS_SELECTOR, "table.week .s .what")]
    check(any(hers[0]["subject"].lower() in c for c in cells), "her personal page shows the published week")
    driver.save_screenshot(os.path.join(artifacts, "personal-page.png"))

    ics = wait.until(ready.presence_of_element_located((By.ID, "ics"))).get_attribute("href")
    with urllib.request.urlopen(ics, timeout=10) as response:
        check(response.headers["Content-Type"].startswith("text/calendar"), "the .ics link serves a calendar")
        calendar = Calendar.from_ical(response.read())
    events = [e for e in calendar.walk("VEVENT")]
    check(events, "her calendar has events")
    check(any(hers[0]["subject"].lower() in str(e.get("SUMMARY")).lower() for e in events), "one event is her session's subject")
    print(f"ok: run {run_url}, {len(cells)} grid cells, {len(events)} calendar events")
finally:
    served.close()
