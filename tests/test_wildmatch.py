"""`.gitignore` patterns by git's rules (gitignore(5)), matched in linear time."""

from __future__ import annotations

import re

import pytest

from faqlint.wildmatch import (
    PatternError,
    compile_glob,
    compile_lines,
    compile_pattern,
    decision,
    escape,
    glob_matches,
)


def ignored(lines: list[str], path: str, is_dir: bool = False) -> bool | None:
    return decision(compile_lines(lines), path, is_dir)


@pytest.mark.parametrize(
    ("pattern", "path", "is_dir", "expected"),
    [
        ("*.json", "a/b/c.json", False, True),  # no slash: a name at any depth
        ("*.json", "a/b/c.yaml", False, None),
        ("gen/", "gen", True, True),  # trailing slash: folders only
        ("gen/", "gen", False, None),
        ("/top.yaml", "top.yaml", False, True),  # leading slash: anchored
        ("/top.yaml", "sub/top.yaml", False, None),
        ("a/*.yaml", "a/x.yaml", False, True),  # middle slash: anchored
        ("a/*.yaml", "b/a/x.yaml", False, None),
        ("a/*.yaml", "a/b/x.yaml", False, None),  # `*` never crosses a slash
        ("**/logs", "x/y/logs", True, True),
        ("**/logs", "logs", True, True),
        ("a/**/b", "a/b", False, True),
        ("a/**/b", "a/x/y/b", False, True),
        ("a/**/b", "a/xb", False, None),
        ("abc/**", "abc/d/e", False, True),
        ("abc/**", "abc", True, None),
        ("a**b", "axxb", False, True),  # other runs of stars are one star
        ("a**b", "ax/b", False, None),
        ("file?.yaml", "file1.yaml", False, True),
        ("file?.yaml", "file10.yaml", False, None),
        ("[abc].yaml", "b.yaml", False, True),
        ("[!abc].yaml", "b.yaml", False, None),
        ("[a-c]x", "bx", False, True),
        ("[[:digit:]]x", "7x", False, True),
        ("\\#literal", "#literal", False, True),
        ("\\!bang", "!bang", False, True),
        ("trailing  ", "trailing", False, True),  # unescaped trailing spaces are dropped
        ("space\\ ", "space ", False, True),
        ("[z-a]x", "bx", False, None),  # git: a reversed range matches nothing
        ("[!z-a]x", "bx", False, True),
    ],
)
def test_git_semantics(pattern: str, path: str, is_dir: bool, expected: bool | None) -> None:
    assert ignored([pattern], path, is_dir) is expected
    # The regex fast path (simple patterns) and the simulation agree.
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert compiled.matches(path, is_dir, work=[0]) is (expected is True)


def test_the_last_matching_line_decides_and_negation_re_includes() -> None:
    lines = ["*.yaml", "!keep.yaml", "# a comment", ""]
    assert ignored(lines, "drop.yaml") is True
    assert ignored(lines, "keep.yaml") is False
    assert ignored([*lines, "keep.yaml"], "keep.yaml") is True


@pytest.mark.parametrize("line", ["!", "foo\\", "a[b", "[[:nonsense:]]", "/"])
def test_lines_git_cannot_use_are_dropped_and_the_rest_still_applies(line: str) -> None:
    assert ignored([line, "*.json"], "x.json") is True
    assert ignored([line], "foo") is None
    with pytest.raises(PatternError):
        compile_pattern(line)


def test_strict_mode_names_a_reversed_range() -> None:
    with pytest.raises(PatternError, match="z-a is reversed"):
        compile_pattern("[z-a]", strict=True)
    assert compile_pattern("[z-a]") is not None


def test_matching_is_linear_where_a_regex_backtracks() -> None:
    """`*a*a*...*b` against a long run of `a`: a backtracking regex takes exponential steps;
    the simulation visits at most (steps + 1) states per character."""
    pattern = compile_pattern("*a" * 10 + "*b")
    assert pattern is not None
    name = "a" * 5000
    work = [0]
    assert not pattern.matches(name, is_dir=False, work=work)
    assert work[0] <= 2 * (len(pattern.steps) + 1) * len(name)
    work = [0]
    assert pattern.matches(name + "b", is_dir=False, work=work)
    assert work[0] <= 2 * (len(pattern.steps) + 1) * (len(name) + 1)


@pytest.mark.parametrize(
    ("pattern", "fast"), [("*.json", True), ("build/", True), ("**/gen/*.json", False)]
)
def test_only_patterns_with_one_loop_become_regexes(pattern: str, fast: bool) -> None:
    compiled = compile_pattern(pattern)
    assert compiled is not None
    assert (compiled.fast is not None) is fast


def test_runs_of_stars_compile_to_one_step() -> None:
    many = compile_pattern("a" + "*" * 1000 + "b")
    assert many is not None
    assert len(many.steps) == 3


@pytest.mark.parametrize(
    "name", ["base[1].json", "a*b?.json", "#x.json", "!y.json", "trail ", "back\\slash"]
)
def test_an_escaped_name_matches_itself_only(name: str) -> None:
    pattern = compile_pattern("/" + escape(name), strict=True)
    assert pattern is not None
    assert pattern.matches(name, is_dir=False)
    assert not pattern.matches(name + "x", is_dir=False)
    assert not pattern.matches("sub/" + name, is_dir=False)


# --- config path globs (`kinds:`): gitignore semantics, strictly ------------------------------


@pytest.mark.parametrize(
    ("glob", "path", "expected"),
    [
        ("*Get-CASMailbox*.json", "exports/x/Get-CASMailbox.json", True),  # a name, any depth
        ("*Get-CASMailbox*.json", "Get-CASMailbox-all.json", True),
        ("exports/org.json", "exports/org.json", True),  # anchored to the config's folder
        ("exports/org.json", "old/exports/org.json", False),
        ("exports/*.json", "exports/org.json", True),
        ("exports/*.json", "exports/exchange/org.json", False),  # `*` stops at `/`
        ("exports/**/*.json", "exports/exchange/org.json", True),
        ("/org.json", "org.json", True),
        ("/org.json", "sub/org.json", False),
        ("exports/exchange/", "exports/exchange/a/b.json", True),  # a folder covers its files
        ("exchange/", "exports/exchange/b.json", True),
        ("org.json/", "org.json", False),  # folders only: not the file itself
        ("tenants/*/exports/Get-CASMailbox.json", "tenants/a/exports/Get-CASMailbox.json", True),
        ("Get-Org[Cc]onfig.json", "Get-OrgConfig.json", True),
    ],
)
def test_kinds_globs_match_as_gitignore_lines(glob: str, path: str, expected: bool) -> None:
    assert glob_matches(glob, path) is expected


@pytest.mark.parametrize(
    ("glob", "reason"),
    [
        ("", "matches nothing"),
        ("# exports", "matches nothing"),
        ("!exports/org.json", "nothing to re-include"),
        ("../exports/org.json", "no '.' or '..' part"),
        ("exports/./org.json", "no '.' or '..' part"),
        ("exports/[a.json", "never closed"),
        ("exports/[z-a].json", "reversed"),
        ("exports\\", "unescaped"),
    ],
)
def test_a_kinds_glob_that_cannot_match_says_why(glob: str, reason: str) -> None:
    with pytest.raises(PatternError, match=re.escape(reason)):
        compile_glob(glob)
