"""Run one command in a fresh process and measure it: wall time, peak RSS, exit code.

Peak RSS is the kernel's `ru_maxrss` for the command and the descendants it waited for (the
largest single process, not a sum: a multiprocessing pool reports its largest worker or its
parent, whichever is larger). It must be read by a *small* parent: Linux carries the forking
process's resident size into the child's high-water mark, so `wait4` straight from this harness
(~25 MB with PyYAML and jsonschema-rs loaded) would never report less than that. So the command
runs under `/usr/bin/time -f %M` (GNU time, ~2 MB) when present, else under a minimal
`python -I -S` wrapper (~8 MB) that spawns it and prints `ru_maxrss` from `wait4`.
Wall time is measured here, around the whole run (the wrapper adds about a millisecond, or the
wrapper interpreter's start-up, the same for every tool). Output goes to files, not pipes, so a
chatty tool neither blocks nor pays for a reader.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path


@dataclass(frozen=True)
class Sample:
    wall: float  # seconds
    peak_rss_kb: int
    returncode: int
    stdout: str
    stderr: str


GNU_TIME = "/usr/bin/time"
WRAPPER = """
import os, sys
pid = os.posix_spawnp(sys.argv[2], sys.argv[2:], os.environ)
_, status, usage = os.wait4(pid, 0)
with open(sys.argv[1], "w") as f:
    f.write(str(usage.ru_maxrss // (1024 if sys.platform == "darwin" else 1)))
sys.exit(os.waitstatus_to_exitcode(status))
"""


def _has_gnu_time() -> bool:
    if not os.access(GNU_TIME, os.X_OK):
        return False
    probe = subprocess.run([GNU_TIME, "-f", "%M", "true"], capture_output=True, text=True)
    return probe.returncode == 0 and probe.stderr.strip().isdigit()


HAS_GNU_TIME = _has_gnu_time()


def run(
    cmd: Sequence[str],
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    keep_output: bool = False,
) -> Sample:
    with (
        tempfile.TemporaryFile() as out,
        tempfile.TemporaryFile() as err,
        tempfile.NamedTemporaryFile("r", suffix=".rss") as rss,
    ):
        if HAS_GNU_TIME:
            full = [GNU_TIME, "-f", "%M", "-o", rss.name, *cmd]
        else:
            full = [sys.executable, "-I", "-S", "-c", WRAPPER, rss.name, *cmd]
        start = time.perf_counter()
        code = subprocess.call(
            full,
            cwd=cwd,
            env=None if env is None else dict(env),
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=err,
        )
        wall = time.perf_counter() - start
        err.seek(0)
        stderr = err.read().decode("utf-8", "replace")
        stdout = ""
        if keep_output:
            out.seek(0)
            stdout = out.read().decode("utf-8", "replace")
        lines = [x for x in rss.read().splitlines() if x.strip()]
    # GNU time prefixes "Command exited with non-zero status N" to its output file.
    peak = int(lines[-1]) if lines and lines[-1].strip().isdigit() else 0
    return Sample(wall, peak, code, stdout, stderr)


def median_wall(samples: Sequence[Sample]) -> float:
    return statistics.median(s.wall for s in samples)


def max_rss_mb(samples: Sequence[Sample]) -> float:
    return max(s.peak_rss_kb for s in samples) / 1024


def machine() -> str:
    """One line describing the machine and the versions that matter."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.1f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    versions = []
    for dist in ("PyYAML", "jsonschema_rs", "check-jsonschema", "orjson"):
        try:
            versions.append(f"{dist} {metadata.version(dist)}")
        except metadata.PackageNotFoundError:
            continue
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}){mem}; "
        f"Python {platform.python_version()}; " + ", ".join(versions)
    )
