"""``ocop`` run in this process: the entry point ``python -m ocop_desktop`` calls
(``cli.main``, with its one-line errors and exit codes), its stdin, stdout and
stderr captured by click's test runner, without starting an interpreter each time
(about 0.4 s a command on this machine).

Kept as real subprocesses elsewhere: what start-up imports (test_boundaries), a
command killed half-way (the crash tests) and a few exit codes as a shell sees them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from pathlib import Path

from click.testing import CliRunner

from ocop_desktop import clock, i18n
from ocop_desktop.cli import main


def ocop(
    *args: str | Path,
    stdin: str | None = None,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess:
    """``ocop *args`` as a finished process: returncode, stdout and stderr as text."""
    argv = [str(a) for a in args]
    language = i18n.language()
    pinned = clock._pinned
    if env and clock.ENV in env:  # a process of its own would read the day given
        clock.pin(None)
    runner = CliRunner()
    here = Path.cwd()
    code = 0
    with runner.isolation(input=stdin, env=env) as (out, err, _both):
        if cwd is not None:
            os.chdir(cwd)
        try:
            main(argv)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        except Exception:  # what an interpreter would print before exiting with 1
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.chdir(here)
            i18n.set_language(language)  # --lang lasts one command, as in its own process
            clock.pin(pinned)
        stdout = out.getvalue().decode("utf-8")
        stderr = err.getvalue().decode("utf-8")
    return subprocess.CompletedProcess(["ocop", *argv], code, stdout, stderr)
