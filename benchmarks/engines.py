"""How long each Graphviz layout engine takes to render a generated map to SVG.

    python -m benchmarks.engines [--sizes 100,1000,3000,10000] [--engines dot,sfdp,...] [--timeout 60]

For each size, a map is generated (:mod:`benchmarks.generate`), argmap writes its DOT source once,
and ``dot -K ENGINE -Tsvg`` lays it out, one engine after the other, stopped after ``--limit``
seconds of CPU time. Prints a Markdown table of CPU seconds (``> 60`` for a run that was stopped)
on stdout: on an idle machine that is the time a user waits, and unlike the wall clock it does not
grow when other programs share the cores. Progress, the wall-clock time and peak memory of each run
and the machine's load go to stderr.
The figures in docs/performance.md ("Big maps") come from this script.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from . import generate

__all__ = ["DEFAULT_ENGINES", "DEFAULT_SIZES", "boxes", "main", "time_engine"]

DEFAULT_SIZES = (100, 1000, 3000, 10000)
DEFAULT_ENGINES = ("dot", "sfdp", "neato", "fdp", "twopi", "circo")


def boxes(size: int) -> int:
    """The boxes a generated map of ``size`` statements draws: every statement and every argument."""
    shape = generate.shape(size)
    return shape.statements + shape.arguments


def time_engine(dot_file: Path, engine: str, limit: float) -> tuple[float | None, float, int]:
    """Lay ``dot_file`` out with ``engine`` into SVG: (CPU seconds or None when stopped, wall seconds, peak KiB).

    The layout is stopped after ``limit`` seconds of CPU time (the kernel's RLIMIT_CPU): CPU time is what
    a wall clock shows on an idle machine, and it does not grow when other programs share the cores.
    """
    program = shutil.which("dot")
    if program is None:
        raise SystemExit("Graphviz's dot is not on PATH")
    seconds = max(1, math.ceil(limit))

    def limit_cpu() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))

    started = time.monotonic()
    process = subprocess.Popen(
        [program, f"-K{engine}", "-Tsvg", str(dot_file), "-o", os.devnull],
        stderr=subprocess.DEVNULL,
        preexec_fn=limit_cpu,
    )
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)  # reaped by wait4: Popen must not wait again
    wall = time.monotonic() - started
    cpu = usage.ru_utime + usage.ru_stime
    if process.returncode == -signal.SIGXCPU:
        return None, wall, usage.ru_maxrss
    if process.returncode != 0:
        raise SystemExit(f"{engine} failed on {dot_file} (exit status {process.returncode})")
    return cpu, wall, usage.ru_maxrss


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.engines", description=__doc__.split("\n\n")[0])
    sizes_help = "statements per map, comma-separated"
    parser.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)), help=sizes_help)
    parser.add_argument("--engines", default=",".join(DEFAULT_ENGINES), help="Graphviz engines, comma-separated")
    parser.add_argument("--limit", type=float, default=60.0, help="CPU seconds before a layout is stopped (60)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    engines = [e.strip() for e in args.engines.split(",") if e.strip()]
    results: dict[tuple[str, int], float | None] = {}
    with tempfile.TemporaryDirectory(prefix="argmap-engines-") as folder:
        for size in sizes:
            source, dot_file = Path(folder, f"map-{size}.arg"), Path(folder, f"map-{size}.dot")
            generate.write(size, source)
            command = [sys.executable, "-m", "argmap", "render", str(source), "-f", "dot", "-o", str(dot_file)]
            subprocess.run(command, check=True)
            for engine in engines:
                load = os.getloadavg()[0]
                cpu, wall, peak = time_engine(dot_file, engine, args.limit)
                results[engine, size] = cpu
                shown = f"stopped after {args.limit:.0f} s of CPU" if cpu is None else f"{cpu:.1f} s of CPU"
                print(
                    f"{engine} on {size:,} statements ({boxes(size):,} boxes): {shown}, wall {wall:.1f} s, "
                    f"peak {peak // 1024} MiB, load {load:.1f}",
                    file=sys.stderr,
                    flush=True,
                )
    header = "| engine | " + " | ".join(f"{s:,} statements ({boxes(s):,} boxes)" for s in sizes) + " |"
    print(header)
    print("| --- |" + " ---: |" * len(sizes))
    for engine in engines:
        cells = [f"> {args.limit:.0f}" if results[engine, s] is None else f"{results[engine, s]:.1f}" for s in sizes]
        print(f"| `{engine}` | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
