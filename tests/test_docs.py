"""The committed docs are what the policies generate, and `faqlint rule` prints the same pages."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from faqlint import docs
from faqlint.cli import main as cli
from faqlint.codes import ENGINE_CODES
from faqlint.run import Catalogue, load_catalogue

REPO = Path(__file__).resolve().parent.parent
DOCS = REPO / "docs"


@pytest.fixture(scope="module")
def pages() -> dict[str, str]:
    return docs.generate(load_catalogue())


def test_committed_docs_match_the_policies(pages: dict[str, str]) -> None:
    problems = docs.drift(DOCS, pages)
    assert not problems, "\n".join([*problems, "regenerate: python -m faqlint.docs --write docs"])


def test_every_rule_and_engine_code_has_a_page_in_the_index(
    pages: dict[str, str], catalogue: Catalogue
) -> None:
    codes = [c.code for c in ENGINE_CODES] + [r.code for r in catalogue.policies.rules]
    index = pages["rules/README.md"]
    for code in codes:
        assert f"rules/{code}.md" in pages
        assert f"| [{code}]({code}.md) |" in index


@pytest.mark.parametrize("wanted", ["OM202", "om202", "ews-allowlist-missing-outlook-mobile"])
def test_rule_command_prints_the_page(
    wanted: str, pages: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["rule", wanted]) == 0
    assert capsys.readouterr().out == pages["rules/OM202.md"]


@pytest.mark.parametrize("wanted", ["FL004", "duplicate-key"])
def test_rule_command_prints_engine_pages(
    wanted: str, pages: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["rule", wanted]) == 0
    assert capsys.readouterr().out == pages["rules/FL004.md"]


def test_rule_command_rejects_an_unknown_rule(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(["rule", "OM2O2"]) == 2
    assert "did you mean 'OM202'" in capsys.readouterr().err


def test_rules_command_lists_every_code(
    catalogue: Catalogue, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli(["rules", "--format", "json"]) == 0
    listed = [row["code"] for row in json.loads(capsys.readouterr().out)["rules"]]
    assert listed == [c.code for c in ENGINE_CODES] + [r.code for r in catalogue.policies.rules]
    assert cli(["rules"]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("FL001  parse-error")


def test_rule_page_has_the_fixed_sections_and_examples_as_yaml(pages: dict[str, str]) -> None:
    page = pages["rules/OM110.md"]
    headings = [line for line in page.splitlines() if line.startswith("#")]
    assert headings == [
        "# OM110 access-token-lifetime-out-of-range",
        "## Severity",
        "## What it checks",
        "## Why",
        "## FAQ",
        "## Related document",
        "## How to fix",
        "## Examples",
        "### Failing",
        "### Passing",
    ]
    assert "> By default, the access token lifetime is one hour" in page
    examples = page.split("## Examples", 1)[1]  # the fix's edits come before, as YAML too
    first_block = examples.split("```yaml\n", 1)[1].split("```", 1)[0]
    assert yaml.safe_load(first_block)["metadata"] == {"name": "short-tokens"}
    assert "Reported at `/spec/definition/0`." in page


def test_prose_is_escaped_but_code_spans_are_kept() -> None:
    assert docs._text("Outlook-iOS/*, Outlook-Android/* and `Outlook-*`") == (
        "Outlook-iOS/\\*, Outlook-Android/\\* and `Outlook-*`"
    )
    escaped = docs._text("Set-CASMailbox -Identity <mailbox>")
    assert escaped == "Set-CASMailbox -Identity \\<mailbox>"


def test_check_reports_drift_and_write_repairs_it(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(DOCS, folder)
    (folder / "rules" / "OM201.md").write_text("edited by hand\n", encoding="utf-8")
    (folder / "rules" / "OM999.md").write_text("a rule that no longer exists\n", encoding="utf-8")
    (folder / "faq-traceability.md").unlink()
    assert docs.main(["--check", str(folder)]) == 1
    assert docs.main(["--write", str(folder)]) == 0
    assert not (folder / "rules" / "OM999.md").exists()
    assert docs.main(["--check", str(folder)]) == 0


def test_check_names_each_problem(tmp_path: Path, pages: dict[str, str]) -> None:
    docs.write(tmp_path, pages)
    (tmp_path / "rules" / "OM201.md").write_text("edited by hand\n", encoding="utf-8")
    (tmp_path / "rules" / "FL001.md").unlink()
    (tmp_path / "rules" / "OM999.md").write_text("stale\n", encoding="utf-8")
    assert docs.drift(tmp_path, pages) == [
        f"{tmp_path / 'rules/FL001.md'}: missing",
        f"{tmp_path / 'rules/OM201.md'}: out of date",
        f"{tmp_path / 'rules/OM999.md'}: no longer generated",
    ]
