"""The HTML posture report: escaped, self-contained, and right in a real browser."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import shutil
from pathlib import Path

import pytest

from faqlint.config import Config
from faqlint.options import RunOptions
from faqlint.report import REPORTERS, ReportContext
from faqlint.report.html import embed_json, git_commit
from faqlint.run import Catalogue, RunResult, check

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "examples"
TODAY = "2026-12-04"
HOSTILE = "<script>window.pwned=1</script>"

TENANT = """\
apiVersion: faqlint/v1
kind: Tenant
metadata: {name: hostile}
spec: {cloud: Commercial}
"""
MAILBOXES = f"""\
apiVersion: faqlint/v1
kind: CASMailbox
metadata: {{name: adele}}
spec: {{Identity: "{HOSTILE}&amp;\\u2028@contoso.com", EwsEnabled: false}}
---
apiVersion: faqlint/v1
kind: CASMailbox
metadata: {{name: megan}}
# faqlint: ignore[OM201] reason="<i>pilot</i> until the new app ships" until=2026-12-20
spec: {{Identity: megan@contoso.com, EwsEnabled: false}}
---
apiVersion: faqlint/v1
kind: CASMailbox
metadata: {{name: lee}}
# faqlint: ignore[OM201] reason="kiosk mailbox" until=2027-06-30
spec: {{Identity: lee@contoso.com, EwsEnabled: false}}
"""


def _run(folder: Path, catalogue: Catalogue) -> tuple[RunResult, ReportContext]:
    config = Config()
    result = check(RunOptions.of(["."], config, folder), catalogue)
    return result, ReportContext(folder, catalogue)


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("FAQLINT_TODAY", TODAY)
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "tenant.yaml").write_text(TENANT)
    (tmp_path / "t" / "mailboxes.yaml").write_text(MAILBOXES)
    return tmp_path


def _data(page: str) -> dict[str, object]:
    found = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page)
    assert found is not None
    parsed: dict[str, object] = json.loads(found.group(1))
    return parsed


def test_json_for_a_script_element_cannot_end_it() -> None:
    text = embed_json({"m": "</script><!-- & \u2028\u2029 >"})
    assert not set("<>&\u2028\u2029") & set(text)
    assert json.loads(text) == {"m": "</script><!-- & \u2028\u2029 >"}


def test_values_from_scanned_files_are_escaped(hostile: Path, catalogue: Catalogue) -> None:
    page = REPORTERS["html"](*_run(hostile, catalogue))
    assert HOSTILE not in page
    assert "<i>pilot</i>" not in page
    assert "&lt;i&gt;pilot&lt;/i&gt; until the new app ships" in page  # the waivers table
    messages = [f["message"] for f in _data(page)["findings"]]  # type: ignore[index]
    assert any(HOSTILE in m for m in messages)  # intact as data, for the script to show as text


def test_the_page_loads_nothing_and_runs_only_its_own_script(
    hostile: Path, catalogue: Catalogue
) -> None:
    page = REPORTERS["html"](*_run(hostile, catalogue))
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page)
    assert csp is not None
    policy = html.unescape(csp.group(1))
    assert "default-src 'none'" in policy
    assert not re.search(r"<(link|img|iframe|object|embed)\b|\bsrc=", page)
    style = re.search(r"<style>(.*?)</style>", page, re.S)
    script = re.search(r"<script>(.*?)</script>", page, re.S)
    assert style is not None and script is not None
    for text in (style.group(1), script.group(1)):
        digest = base64.b64encode(hashlib.sha256(text.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_waivers_show_reason_and_expiry_and_soon_ones_are_called_out(
    hostile: Path, catalogue: Catalogue
) -> None:
    result, context = _run(hostile, catalogue)
    assert len(result.suppressed) == 2
    page = REPORTERS["html"](result, context)
    assert "1 waiver(s) expire within 30 days" in page
    assert "2026-12-20 <strong>(in 16 days)</strong>" in page
    assert "2027-06-30</td>" in page
    statuses = sorted(f["status"] for f in _data(page)["findings"])  # type: ignore[index]
    assert statuses == ["reported", "waived", "waived"]


def test_baselined_findings_are_told_apart_from_new_ones(
    hostile: Path, catalogue: Catalogue
) -> None:
    from dataclasses import replace

    result, context = _run(hostile, catalogue)
    baselined = replace(result, findings=(), baselined=result.findings, baseline_applied=True)
    page = REPORTERS["html"](baselined, context)
    assert '<span class="n" id="count-baselined">1</span>' in page
    assert '<span class="n" id="count-new">0</span>' in page
    assert next(f["status"] for f in _data(page)["findings"]) == "baselined"  # type: ignore[index]


def test_posture_counts_rules_by_area(hostile: Path, catalogue: Catalogue) -> None:
    page = REPORTERS["html"](*_run(hostile, catalogue))
    # OM201 fails for adele and is waived for the others: the rule, and so the area, fails.
    area = '<tr class="row-fail"><th scope="row">EWS and Exchange access</th>'
    row = re.search(re.escape(area) + "(.*?)</tr>", page)
    assert row is not None
    cells = re.findall(r'<td class="num">(\d+)</td>', row.group(1))
    checked, passed, failed, _waived = map(int, cells)
    assert failed == 1 and passed == checked - 1


def test_check_writes_the_report_where_asked(
    hostile: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from faqlint.cli import main

    monkeypatch.chdir(hostile)
    out = tmp_path / "out" / "report.html"
    assert main(["check", ".", "--format", "html", "--output", str(out)]) == 1
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    assert _data(page)["findings"][0]["excerpt"]  # type: ignore[index]
    assert main(["check", ".", "--no-source", "--format", "html", "--output", str(out)]) == 1
    assert not _data(out.read_text(encoding="utf-8"))["findings"][0]["excerpt"]  # type: ignore[index]


def test_git_commit_is_read_from_files(tmp_path: Path) -> None:
    sha = "a" * 40
    git = tmp_path / "repo" / ".git"
    (git / "refs" / "heads").mkdir(parents=True)
    (git / "HEAD").write_text("ref: refs/heads/main\n")
    (git / "refs" / "heads" / "main").write_text(sha + "\n")
    inner = tmp_path / "repo" / "tenants" / "contoso"
    inner.mkdir(parents=True)
    assert git_commit(inner) == sha
    (git / "refs" / "heads" / "main").unlink()
    (git / "packed-refs").write_text(f"# pack-refs with: peeled\n{'b' * 40} refs/heads/main\n")
    assert git_commit(inner) == "b" * 40
    (git / "HEAD").write_text("c" * 40 + "\n")
    assert git_commit(inner) == "c" * 40
    (git / "HEAD").write_text("ref: refs/../../../../etc/hostname\n")
    assert git_commit(inner) is None


def test_git_commit_of_a_linked_worktree(tmp_path: Path) -> None:
    common = tmp_path / "main" / ".git"
    private = common / "worktrees" / "wip"
    (common / "refs" / "heads").mkdir(parents=True)
    private.mkdir(parents=True)
    (private / "HEAD").write_text("ref: refs/heads/wip\n")
    (private / "commondir").write_text("../..\n")
    (common / "refs" / "heads" / "wip").write_text("d" * 40 + "\n")
    checkout = tmp_path / "wip"
    checkout.mkdir()
    (checkout / ".git").write_text(f"gitdir: {private}\n")
    assert git_commit(checkout) == "d" * 40


# --- in a real browser ----------------------------------------------------------------------

browser = pytest.mark.skipif(
    shutil.which("chromium") is None,
    reason="chromium is not installed (apt-get install chromium; .ci/run installs it)",
)


@browser
def test_examples_report_in_chromium(
    catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from headless import Chromium, find_chromium

    monkeypatch.chdir(EXAMPLES)
    result, context = _run(EXAMPLES, catalogue)
    report = tmp_path / "report.html"
    report.write_text(REPORTERS["html"](result, context), encoding="utf-8")
    summary = json.loads(REPORTERS["json"](result, context))["summary"]
    shown_ids = ["error", "warning", "info", "files", "tenants", "resources", "suppressed"]
    expected = {
        "error": summary["errors"],
        "warning": summary["warnings"],
        "info": summary["info"],
        "files": summary["files"],
        "tenants": summary["tenants"],
        "resources": summary["resources"],
        "suppressed": summary["suppressed"],
    }
    executable = find_chromium()
    assert executable is not None
    with Chromium(executable) as chromium:
        tab = chromium.open(report.as_uri())
        tab.wait_until("document.body.hasAttribute('data-rendered')")
        shown = {
            key: int(tab.evaluate(f"document.getElementById('count-{key}').textContent"))
            for key in shown_ids
        }
        assert shown == expected
        total = summary["errors"] + summary["warnings"] + summary["info"]
        assert tab.evaluate("document.body.dataset.shown") == str(total)
        assert tab.evaluate("document.getElementById('shown').textContent") == (
            f"Showing {total} of {total} findings"
        )
        # the sections render as they come into view; printing renders every one
        tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert tab.evaluate("document.querySelectorAll('.finding').length") == total
        matrix_rows = tab.evaluate("document.querySelectorAll('.matrix tbody tr').length")
        assert matrix_rows == summary["tenants"]
        # a filter narrows the list to what the data says
        tab.evaluate(
            "var s = document.getElementById('f-severity'); s.value = 'error';"
            "s.dispatchEvent(new Event('change'))"
        )
        assert tab.evaluate("document.body.dataset.shown") == str(summary["errors"])
        # the keyboard reaches the search box with "/", and every finding is focusable
        tab.evaluate(
            "document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}))"
        )
        assert tab.evaluate("document.activeElement.id") == "f-search"
        tab.wait_until("document.querySelector('.finding summary') !== null")  # in view: rendered
        tab.evaluate("document.querySelector('.finding summary').focus()")
        assert tab.evaluate("document.activeElement.tagName") == "SUMMARY"
        page = tab.page()
    assert page.requests == [report.as_uri()]
    assert page.errors == []


@browser
def test_hostile_text_shows_as_text_in_chromium(
    hostile: Path, catalogue: Catalogue, tmp_path: Path
) -> None:
    from headless import Chromium, find_chromium

    report = tmp_path / "report.html"
    report.write_text(REPORTERS["html"](*_run(hostile, catalogue)), encoding="utf-8")
    executable = find_chromium()
    assert executable is not None
    with Chromium(executable) as chromium:
        tab = chromium.open(report.as_uri())
        tab.wait_until("document.querySelectorAll('.finding').length === 1")
        assert tab.evaluate("typeof window.pwned") == "undefined"
        messages = tab.evaluate(
            "Array.from(document.querySelectorAll('.finding .message')).map(m => m.textContent)"
        )
        assert any(HOSTILE in m for m in messages)
        excerpt = tab.evaluate("document.querySelector('.finding pre.excerpt').textContent")
        assert HOSTILE in excerpt
        assert tab.evaluate("document.querySelectorAll('main script').length") == 0
        # printing opens every finding and breaks the page per tenant
        tab.emulate(media="print")
        tab.evaluate("window.dispatchEvent(new Event('beforeprint'))")
        assert tab.evaluate("Array.from(document.querySelectorAll('.finding')).every(d => d.open)")
        brk = tab.evaluate("getComputedStyle(document.querySelector('.tenant')).breakBefore")
        assert brk == "page"
        page = tab.page()
    assert page.requests == [report.as_uri()]
    assert page.errors == []


# --- contrast -------------------------------------------------------------------------------

# (text, background) pairs the stylesheet puts together.
PAIRS = [
    ("fg", "bg"),
    ("fg", "panel"),
    ("muted", "bg"),
    ("muted", "panel"),
    ("muted", "code-bg"),
    ("fg", "code-bg"),
    ("fg", "warning-bg"),
    ("link", "bg"),
    ("link", "panel"),
    ("error", "error-bg"),
    ("warning", "warning-bg"),
    ("info", "info-bg"),
    ("pass", "pass-bg"),
    ("waived", "waived-bg"),
    ("error", "panel"),
    ("warning", "panel"),
    ("info", "panel"),
    ("info", "bg"),
    ("pass", "bg"),
    ("error", "bg"),
    ("waived", "bg"),
]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _ratio(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_text_colours_meet_wcag_aa(scheme: str) -> None:
    css = (REPO / "faqlint" / "report" / "templates" / "report.css").read_text()
    light = css.split("@media (prefers-color-scheme: dark)")[0]
    dark = css.split("@media (prefers-color-scheme: dark)")[1].split("}")[0]
    colours = dict(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", light))
    if scheme == "dark":
        colours.update(re.findall(r"--([a-z-]+): (#[0-9a-f]{6})", dark))
    low = {
        f"{text} on {back}": round(_ratio(colours[text], colours[back]), 2)
        for text, back in PAIRS
        if _ratio(colours[text], colours[back]) < 4.5
    }
    assert low == {}


def test_the_docs_show_a_screenshot_and_how_to_make_it_again() -> None:
    # Drift is checked by existence, not pixels: the page changes with every run's time.
    shot = REPO / "docs" / "html-report.png"
    assert shot.is_file() and shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    command = "python tests/report/headless.py examples docs/html-report.png"
    assert command in (REPO / "docs" / "html-report.md").read_text(encoding="utf-8")
    assert "docs/html-report.png" in (REPO / "README.md").read_text(encoding="utf-8")
