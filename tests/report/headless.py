"""Headless Chromium over the DevTools protocol, through a pipe, with the standard library only.

`--remote-debugging-pipe` makes Chromium read protocol messages from fd 3 and write its own to
fd 4, each a JSON object ended by a NUL byte: no port, no websocket, no package to install. The
tests load a report in it and watch every request and console message; run as a script, it
screenshots a report:

    python tests/report/headless.py examples docs/html-report.png   # check a folder, shoot
    python tests/report/headless.py report.html shot.png            # shoot an existing report
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NAMES = ("chromium", "chromium-browser", "google-chrome")
WAIT = 60.0  # seconds any one protocol answer may take on a loaded machine


def find_chromium() -> str | None:
    return next((found for name in NAMES if (found := shutil.which(name))), None)


class BrowserError(RuntimeError):
    pass


@dataclass
class Page:
    """What happened while a page was open: every request, console message and exception."""

    requests: list[str] = field(default_factory=list)
    console: list[tuple[str, str]] = field(default_factory=list)  # (level, text)
    exceptions: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[str]:
        return [t for level, t in self.console if level == "error"] + self.exceptions


class Chromium:
    def __init__(self, executable: str, width: int = 1280, height: int = 900) -> None:
        self.profile = tempfile.mkdtemp(prefix="faqlint-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: fd 3 reads our messages, fd 4 writes its own
            reads, writes = os.dup(to_browser_r), os.dup(from_browser_w)  # neither is 3 and 4
            os.dup2(reads, 3)
            os.dup2(writes, 4)

        self.process = subprocess.Popen(
            [
                executable,
                "--headless",
                "--remote-debugging-pipe",
                "--no-sandbox",  # CI runs as root, where Chromium's sandbox refuses to start
                "--disable-gpu",
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-extensions",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--window-size={width},{height}",
                f"--user-data-dir={self.profile}",
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            pass_fds=(3, 4),  # kept open past close_fds, which runs after wire()
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self._events: list[dict[str, Any]] = []
        self.width, self.height = width, height

    def close(self) -> None:
        with contextlib.suppress(BrowserError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        for fd in (self._to_browser, self._from_browser):
            os.close(fd)
        shutil.rmtree(self.profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    # --- the protocol ---------------------------------------------------------------------

    def _read(self) -> dict[str, Any]:
        import select

        deadline = time.monotonic() + WAIT
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._from_browser], [], [], left)[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise BrowserError("Chromium closed the pipe")
            self._buffer += chunk
        message, _, self._buffer = self._buffer.partition(b"\0")
        parsed: dict[str, Any] = json.loads(message)
        return parsed

    def send(self, method: str, params: dict[str, Any] | None = None, session: str = "") -> Any:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            answer = self._read()
            if answer.get("id") != self._next_id:
                self._events.append(answer)
                continue
            if "error" in answer:
                raise BrowserError(f"{method}: {answer['error'].get('message')}")
            return answer.get("result", {})

    def _wait_for(self, method: str, session: str) -> dict[str, Any]:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            for i, event in enumerate(self._events):
                if event.get("method") == method and event.get("sessionId") == session:
                    return self._events.pop(i)
            self._events.append(self._read())
        raise BrowserError(f"no {method} in time")

    # --- a page ---------------------------------------------------------------------------

    def open(self, url: str) -> Tab:
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        for domain in ("Page", "Network", "Runtime", "Log"):
            self.send(f"{domain}.enable", session=session)
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": self.width, "height": self.height, "deviceScaleFactor": 1, "mobile": False},
            session=session,
        )
        self._events.clear()
        self.send("Page.navigate", {"url": url}, session=session)
        self._wait_for("Page.loadEventFired", session)
        return Tab(self, session)


class Tab:
    def __init__(self, browser: Chromium, session: str) -> None:
        self.browser = browser
        self.session = session

    def evaluate(self, expression: str) -> Any:
        answer = self.browser.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
            session=self.session,
        )
        if "exceptionDetails" in answer:
            raise BrowserError(f"{expression}: {answer['exceptionDetails'].get('text')}")
        return answer["result"].get("value")

    def wait_until(self, expression: str) -> Any:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            value = self.evaluate(expression)
            if value:
                return value
            time.sleep(0.05)
        raise BrowserError(f"{expression} never became true")

    def settle(self) -> None:
        """Wait two animation frames: intersection observers have run by then."""
        self.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")

    def emulate(self, media: str = "", scheme: str = "") -> None:
        features = [{"name": "prefers-color-scheme", "value": scheme}] if scheme else []
        self.browser.send(
            "Emulation.setEmulatedMedia",
            {"media": media, "features": features},
            session=self.session,
        )

    def screenshot(self, path: Path) -> None:
        shot = self.browser.send("Page.captureScreenshot", {"format": "png"}, session=self.session)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(shot["data"]))

    def page(self) -> Page:
        """Everything the page did so far (events of this tab, drained)."""
        self.evaluate("1")  # let pending events arrive before this answer
        seen = Page()
        rest: list[dict[str, Any]] = []
        for event in self.browser._events:
            if event.get("sessionId") != self.session:
                rest.append(event)
                continue
            method, params = event.get("method"), event.get("params", {})
            if method == "Network.requestWillBeSent":
                seen.requests.append(params["request"]["url"])
            elif method == "Runtime.consoleAPICalled":
                args = params["args"]
                text = " ".join(str(a.get("value", a.get("description", ""))) for a in args)
                seen.console.append((params["type"], text))
            elif method == "Runtime.exceptionThrown":
                seen.exceptions.append(params["exceptionDetails"].get("text", ""))
            elif method == "Log.entryAdded":
                seen.console.append((params["entry"]["level"], params["entry"]["text"]))
        self.browser._events = rest
        return seen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", help="a folder to check, or an HTML report")
    parser.add_argument("png", help="where to write the screenshot")
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--scheme", choices=["light", "dark"], default="light")
    args = parser.parse_args(argv)
    executable = find_chromium()
    if executable is None:
        print("chromium is not installed (apt-get install chromium)", file=sys.stderr)
        return 2
    source = Path(args.source).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        report = source
        if source.is_dir():
            report = Path(scratch) / "report.html"
            command = [sys.executable, "-m", "faqlint", "check", ".", "--exit-zero"]
            subprocess.run(
                [*command, "--format", "html", "--output", str(report)],
                cwd=source,
                check=True,
            )
        with Chromium(executable, args.width, args.height) as browser:
            tab = browser.open(report.as_uri())
            tab.emulate(scheme=args.scheme)
            tab.wait_until("document.body.hasAttribute('data-rendered')")
            tab.settle()  # sections in view render on the next frames
            tab.screenshot(Path(args.png))
            seen = tab.page()
    outside = [u for u in seen.requests if u != report.as_uri()]
    print(f"{args.png}: {len(outside)} outside requests, {len(seen.errors)} console errors")
    return 1 if outside or seen.errors else 0


if __name__ == "__main__":
    sys.exit(main())
