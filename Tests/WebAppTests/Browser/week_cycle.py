"""An admin's week in headless Chromium, against the real server: the cycle issue 26 found broken.

Usage: week_cycle.py FLEXSCHED DATA_DIR ADMIN_PASSWORD API_TOKEN CSV_FOLDER ARTIFACTS_DIR

Signs in; imports the school from its week template and CSV sheets (CSV_FOLDER: WEEK.yaml,
teachers.csv, rooms.csv, students.csv, needs.csv) on the import page; solves and publishes it; solves the same version again (from the
published timetable, the default) and publishes it: nothing changes and nobody is to be told; makes
Ms. Lee away on Mondays in teachers.csv and imports that as the next version, solves, and publishes only after confirming, since more
than five people are affected: every session that changed was hers on Monday. Then Ms. Lee's
personal page on a phone (390 x 844), saved as ARTIFACTS_DIR/week-cycle-phone.png. Every admin
step is done in the browser; the API only reads timetables to compare them. Exits non-zero on any
failure.
"""
import os
import sys
import tempfile

from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

from served import Served, check, start_solve

flexsched, data, password, token, sheets, artifacts = sys.argv[1:7]
os.makedirs(artifacts, exist_ok=True)

served = Served(flexsched, data, token)
base, api = served.base, served.api


def session_key(s):
    teachers = tuple(s.get("teachers") or ([s["teacher"]] if s.get("teacher") else []))
    return (s["subject"], s["modality"], s["day"], s["block"], teachers, s.get("room"), tuple(s.get("students") or []))


try:
    served.wait_until_up()
    driver = served.chromium("--window-size=1280,1000")
    # Pages reload themselves when a run ends: an element may vanish between finding and reading it.
    wait = WebDriverWait(driver, 120, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))

    def import_sheets(folder):
        driver.get(base + "/import")
        for field, name in [("week", "WEEK.yaml"), ("teachers", "teachers.csv"), ("rooms", "rooms.csv"),
                            ("students", "students.csv"), ("needs", "needs.csv")]:
            wait.until(ready.presence_of_element_located((By.ID, f"csv-{field}"))).send_keys(os.path.join(folder, name))
        driver.find_element(By.ID, "import-csv").click()
        wait.until(ready.presence_of_element_located((By.ID, "start")))
        return driver.current_url

    def solve(scenario_url):
        driver.get(scenario_url)
        return start_solve(driver, wait, 10)

    def page_left(element):
        """The page the element was on has been left. Chromium sometimes says so as "Node with given id
        does not belong to the document" rather than as a stale element, which staleness_of lets through."""
        def left(_):
            try:
                element.is_enabled()
                return False
            except StaleElementReferenceException:
                return True
            except WebDriverException as error:
                if "does not belong to the document" in str(error):
                    return True
                raise
        return left

    def publish(run_url, confirm):
        driver.get(run_url)
        button = wait.until(ready.element_to_be_clickable((By.ID, "publish")))
        button.click()
        if confirm:
            wait.until(page_left(button))
            button = wait.until(ready.element_to_be_clickable((By.ID, "confirm-publish")))
            check("Nothing is published yet" in driver.find_element(By.ID, "outcome").text, "the preview says nothing is published yet")
            button.click()
        # The preview has the same counts: read the outcome only once the page the click left is gone.
        wait.until(page_left(button))
        wait.until(lambda d: "is now what every calendar link" in d.find_element(By.ID, "outcome").text,
                   f"run {run_url} was not published within 120 s")
        return {k: int(driver.find_element(By.ID, k).text) for k in ("added", "changed", "unchanged", "removed")}

    def sessions(run_url):
        return api(run_url[len(base):].replace("/runs/", "/api/v1/runs/"))["timetable"]["sessions"]

    driver.get(base + "/signin")
    driver.find_element(By.ID, "name").send_keys("ada")
    driver.find_element(By.ID, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form[action='/signin'] button").click()
    wait.until(ready.url_contains("/scenarios"))

    sheets = os.path.abspath(sheets)
    scenario_url = import_sheets(sheets)
    check("Maple Grove" in driver.find_element(By.TAG_NAME, "h1").text, "the import made the sheets' school")

    first = solve(scenario_url)
    counts = publish(first, confirm=False)
    check(counts["added"] > 0 and counts["changed"] == counts["removed"] == 0, f"the first publication adds events: {counts}")

    # The same version again: the solve starts from the published week, so publishing changes nothing.
    again = solve(scenario_url)
    driver.get(scenario_url)
    check(f"(from run {first.rsplit('/', 1)[1]})" in driver.find_element(By.TAG_NAME, "main").text,
          "the run list says the re-solve started from the published run")
    counts = publish(again, confirm=False)
    check(counts["added"] == counts["changed"] == counts["removed"] == 0 and counts["unchanged"] > 0,
          f"re-solving an unchanged week changes no event: {counts}")

    # Ms. Lee away on Mondays: only her Monday sessions may change, and publishing asks first.
    with open(os.path.join(sheets, "teachers.csv"), encoding="utf-8") as f:
        teachers = f.read()
    lee_row = "lee,Ms. Lee,math science,,,"
    check(lee_row in teachers, "teachers.csv has Ms. Lee's row")
    with tempfile.TemporaryDirectory() as away_sheets:
        for name in os.listdir(sheets):
            with open(os.path.join(sheets, name), encoding="utf-8") as f:
                text = f.read()
            with open(os.path.join(away_sheets, name), "w", encoding="utf-8") as f:
                f.write(text.replace(lee_row, "lee,Ms. Lee,math science,mon,,") if name == "teachers.csv" else text)
        check(import_sheets(away_sheets) == scenario_url, "the changed sheets are the same scenario's next version")
    away = solve(scenario_url)
    before = {session_key(s): s for s in sessions(again)}
    after = {session_key(s) for s in sessions(away)}
    gone = [s for k, s in before.items() if k not in after]
    check(gone, "her Monday sessions moved")
    check(all("lee" in key[4] and key[2] == "mon" for key in map(session_key, gone)),
          f"only sessions she led on Monday changed: {gone}")
    counts = publish(away, confirm=True)
    check(counts["changed"] + counts["added"] + counts["removed"] > 0, f"her absence changes events: {counts}")
    told = driver.find_element(By.ID, "affected").text
    check("Ms. Lee" in told, "she is among the people to tell")

    scenario = int(scenario_url.rstrip("/").rsplit("/", 1)[1])
    page = next(f["page"] for f in api(f"/api/v1/scenarios/{scenario}/feeds") if f["kind"] == "teacher" and f["id"] == "lee")
    driver.quit()
    phone = served.chromium(mobile={"width": 390, "height": 844, "pixelRatio": 3})
    phone.get(page)
    WebDriverWait(phone, 30).until(ready.visibility_of_element_located((By.CSS_SELECTOR, ".daylist section.day")))
    wide = phone.execute_script("return [document.documentElement.scrollWidth, window.innerWidth]")
    check(wide[0] <= wide[1], f"her page scrolls sideways on a phone: {wide}")
    monday = phone.find_elements(By.CSS_SELECTOR, "#day-mon li.s")
    check(not monday, f"her published Monday is empty now: {[e.text for e in monday]}")
    phone.save_screenshot(os.path.join(artifacts, "week-cycle-phone.png"))
    print(f"ok: published {first}, {again} (no change), {away} ({len(gone)} of her sessions moved)")
finally:
    served.close()
