from __future__ import annotations

import io

from faqlint.progress import MANY_FILES, terminal_progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_no_progress_in_pipes_or_ci() -> None:
    assert terminal_progress(io.StringIO(), {}) is None
    assert terminal_progress(_Terminal(), {"CI": "true"}) is None
    assert terminal_progress(_Terminal(), {"GITHUB_ACTIONS": "true"}) is None
    assert terminal_progress(_Terminal(), {"TF_BUILD": "True"}) is None


def test_terminal_sees_a_counter_that_it_clears() -> None:
    stream = _Terminal()
    progress = terminal_progress(stream, {})
    assert progress is not None
    progress(1, MANY_FILES)
    assert stream.getvalue() == f"\rfaqlint: checked 1/{MANY_FILES} files"
    progress(MANY_FILES, MANY_FILES)
    assert stream.getvalue().endswith("\r\033[K")


def test_short_runs_stay_quiet() -> None:
    stream = _Terminal()
    progress = terminal_progress(stream, {})
    assert progress is not None
    for done in range(1, 4):
        progress(done, 3)
    assert stream.getvalue() == ""
