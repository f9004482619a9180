"""Ctrl-C ends a run with exit status 130, as shells expect (issue 14, item 11), not 1, which
means findings: a real SIGINT to the real command while it waits on standard input."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from conftest import ROOT


def _waits_on_a_pipe(pid: int) -> bool:
    with open(f"/proc/{pid}/wchan", encoding="ascii") as handle:
        return "pipe_read" in handle.read()  # pipe_read or anon_pipe_read, by kernel


@pytest.mark.skipif(not os.path.exists(f"/proc/{os.getpid()}/wchan"), reason="needs Linux's /proc/PID/wchan")
def test_ctrl_c_exits_130(tmp_path):
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("GITHUB_ACTIONS", None)
    process = subprocess.Popen([sys.executable, "-m", "etiquette_lint", "--no-cache", "--select", "personalisation.placeholder", "-"],
                               cwd=tmp_path, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    try:
        deadline = time.monotonic() + 60
        while not _waits_on_a_pipe(process.pid):  # started, and reading the draft
            assert process.poll() is None and time.monotonic() < deadline, "the command never read standard input"
            time.sleep(0.05)
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 130, err.decode()
    assert err.decode() == "etiquette-lint: interrupted\n"
