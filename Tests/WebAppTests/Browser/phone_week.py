"""A teacher's week on a phone (390 x 844) in headless Chromium, against the real server.

Usage: phone_week.py FLEXSCHED DATA_DIR API_TOKEN SCENARIO_FILE ARTIFACTS_DIR

Starts `flexsched serve`, uploads, solves and publishes the scenario through the API, then opens
Ms. Lee's personal page at phone size: the page must not scroll sideways, the grid gives way to the
day list, one day fills the screen's width, and her sessions are there with their clock times.
Saves ARTIFACTS_DIR/phone-week.png. Exits non-zero on any failure.
"""
import os
import sys

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from served import Served, check

flexsched, data, token, scenario_file, artifacts = sys.argv[1:6]
os.makedirs(artifacts, exist_ok=True)

served = Served(flexsched, data, token)
api = served.api
try:
    served.wait_until_up()
    with open(scenario_file, "rb") as f:
        scenario = api("/api/v1/scenarios", "POST", f.read(), "application/yaml")["id"]
    run = api(f"/api/v1/scenarios/{scenario}/runs", "POST", b'{"timeLimit": 5}')["run"]

    def finished():
        state = api(f"/api/v1/runs/{run}")["state"]
        return None if state in ("queued", "running") else state
    state = served.until(f"run {run} to finish", 120, finished)
    check(state == "done", f"the run ends done, not {state}")
    api(f"/api/v1/runs/{run}/publish", "POST", b"")
    timetable = api(f"/api/v1/runs/{run}")["timetable"]
    hers = [s for s in timetable["sessions"] if s.get("teacher") == "lee" or "lee" in (s.get("teachers") or [])]
    check(hers, "Ms. Lee teaches in the example's timetable")
    page = next(f["page"] for f in api(f"/api/v1/scenarios/{scenario}/feeds") if f["kind"] == "teacher" and f["id"] == "lee")

    # A phone's viewport exactly, whatever the window's own chrome takes.
    driver = served.chromium(mobile={"width": 390, "height": 844, "pixelRatio": 3})
    wait = WebDriverWait(driver, 30)
    driver.get(page)
    wait.until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".daylist section.day")))

    width = driver.execute_script("return window.innerWidth")
    check(width == 390, f"the viewport is a phone's 390 px, not {width}")
    page_width = driver.execute_script("return document.documentElement.scrollWidth")
    check(page_width <= width, f"the page scrolls sideways: {page_width} px wide in a {width} px screen")
    check(not driver.find_element(By.CSS_SELECTOR, ".grid.wide").is_displayed(), "the week's grid gives way to the day list")
    days = driver.find_elements(By.CSS_SELECTOR, ".daylist section.day")
    check([d.get_attribute("id") for d in days] == ["day-mon", "day-wed"], "one section per school day, in the week's order")
    first = days[0].rect
    check(first["width"] >= 0.85 * width, f"a day fills the screen's width: {first['width']} of {width} px")
    check(first["x"] >= 0 and first["x"] + first["width"] <= width + 1, f"the first day is on the screen: {first}")
    # The second day waits beside it, one swipe away, not squeezed in.
    check(days[1].rect["x"] >= width - 1, f"the second day starts after the screen: {days[1].rect}")
    items = driver.find_elements(By.CSS_SELECTOR, ".daylist li.s")
    check(len(items) == len(hers), f"each of her {len(hers)} sessions is listed once: {len(items)}")
    whats = [e.get_attribute("textContent").lower() for e in driver.find_elements(By.CSS_SELECTOR, ".daylist li.s .what")]
    check(any(hers[0]["subject"].lower() in w for w in whats), f"her {hers[0]['subject']} session is listed: {whats}")
    times = [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, ".daylist li.s .when")]
    check(all(len(t) == 11 and t[2] == ":" and t[5] == "–" for t in times), f"each session has its clock times: {times}")
    # Sessions take the screen's width, so a name like "Reading tutoring" is not cut into syllables.
    narrowest = min(e.rect["width"] for e in items)
    check(narrowest >= 0.8 * width, f"sessions use the screen's width: {narrowest} px")
    driver.save_screenshot(os.path.join(artifacts, "phone-week.png"))
    print(f"ok: {len(days)} days, {len(items)} sessions at {width} px")
finally:
    served.close()
