"""What the browser scripts share: `flexsched serve` on a free loopback port, the API, headless
Chromium, and checks that fail with a message."""
import json
import socket
import subprocess
import tempfile
import time
import urllib.request

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ready


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def start_solve(driver, wait, seconds):
    """On a scenario page: starts a solve with this time limit and waits until its run ends done;
    returns the run page's address."""
    limit = wait.until(ready.presence_of_element_located((By.ID, "timeLimit")))
    limit.clear()
    limit.send_keys(str(seconds))
    driver.find_element(By.ID, "start").click()
    wait.until(ready.url_contains("/runs/"))
    url = driver.current_url
    # The page's EventSource reloads it when the run ends.
    wait.until(lambda d: d.find_element(By.ID, "state").text in ("done", "failed", "cancelled"))
    state = driver.find_element(By.ID, "state").text
    check(state == "done", f"run {url} ends done, not {state}")
    return url


class Served:
    """The server, started at once; `close()` stops it (and the browser, if one was opened)."""

    def __init__(self, flexsched, data, token):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        self.token = token
        self.driver = None
        # The server's log goes to a file: a pipe nobody reads would block it once full.
        self.log = tempfile.TemporaryFile()
        self.server = subprocess.Popen([flexsched, "serve", "--data", data, "--host", "127.0.0.1", "--port", str(port),
                                        "--public-url", self.base, "--workers", "1"], stdout=self.log, stderr=subprocess.STDOUT)

    def api(self, path, method="GET", body=None, content_type="application/json"):
        request = urllib.request.Request(self.base + path, data=body, method=method,
                                         headers={"Authorization": f"Bearer {self.token}", "Content-Type": content_type})
        with urllib.request.urlopen(request, timeout=10) as response:
            return json.load(response)

    def until(self, what, seconds, probe):
        """Asks `probe` every 0.1 s until it gives a value; fails after `seconds`, or when the server exits."""
        deadline = time.monotonic() + seconds
        while True:
            value = probe()
            if value:
                return value
            if self.server.poll() is not None:
                self.log.seek(0)
                raise AssertionError("flexsched serve exited: " + self.log.read().decode())
            if time.monotonic() > deadline:
                raise AssertionError(f"waited {seconds} s for {what}")
            time.sleep(0.1)

    def wait_until_up(self):
        def answers():
            try:
                urllib.request.urlopen(self.base + "/signin", timeout=2).close()
                return True
            except OSError:
                return False
        # Generous: on a busy CI machine the server may take a while to open its database and listen.
        self.until(f"flexsched serve to answer on {self.base}", 60, answers)

    def chromium(self, *flags, mobile=None):
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage") + flags:
            options.add_argument(flag)
        if mobile:
            options.add_experimental_option("mobileEmulation", {"deviceMetrics": mobile})
        self.driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        return self.driver

    def close(self):
        if self.driver is not None:
            self.driver.quit()
        self.server.terminate()
        try:
            self.server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.server.kill()
