"""End-to-end cases: each folder under tests/e2e/ is a small repo with

- `args.txt`: the command line (without `faqlint`), run in-process in the folder;
- `expected.txt` (stdout, exactly) or `expected.json` (stdout as JSON, `version` aside);
- `stderr.txt` when something must be said on stderr (otherwise stderr must be empty);
- `exit_code`.

Runs use FAQLINT_TODAY=2026-11-25 so that waiver expiry is reproducible. Set FAQLINT_E2E_UPDATE=1
to rewrite the expected files from the current output (then read the diff before committing).
"""

from __future__ import annotations

import json
import os
import shlex
from pathlib import Path

import pytest

from faqlint.cli import main

CASES = Path(__file__).parent / "e2e"
TODAY = "2026-11-25"


def _cases() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if (p / "args.txt").is_file())


@pytest.mark.parametrize("case", _cases(), ids=lambda p: p.name)
def test_e2e(
    case: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(case)
    monkeypatch.setenv("FAQLINT_TODAY", TODAY)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")
    args = shlex.split((case / "args.txt").read_text(encoding="utf-8"))
    code = main(args)
    out, err = capsys.readouterr()
    if os.environ.get("FAQLINT_E2E_UPDATE"):
        _update(case, code, out, err)
    assert code == int((case / "exit_code").read_text().strip())
    stderr_file = case / "stderr.txt"
    assert err == (stderr_file.read_text(encoding="utf-8") if stderr_file.is_file() else "")
    if (case / "expected.json").is_file():
        expected = json.loads((case / "expected.json").read_text(encoding="utf-8"))
        actual = json.loads(out)
        expected.pop("version", None)
        actual.pop("version", None)
        assert actual == expected
    else:
        assert out == (case / "expected.txt").read_text(encoding="utf-8")


def _update(case: Path, code: int, out: str, err: str) -> None:
    (case / "exit_code").write_text(f"{code}\n", encoding="utf-8")
    if err:
        (case / "stderr.txt").write_text(err, encoding="utf-8")
    if (case / "expected.json").is_file():
        document = json.loads(out)
        document.pop("version", None)
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        (case / "expected.json").write_text(text, encoding="utf-8")
    else:
        (case / "expected.txt").write_text(out, encoding="utf-8")
