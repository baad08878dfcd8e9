"""Signals on the real machine: handlers with Linux's frames, masks, faults
and interrupted calls (/bin/sigcheck, which passes on a Linux host too)."""


def test_sigcheck_agrees_with_linux(machine):
    output = machine.run("run /bin/sigcheck", timeout=300)
    failures = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failures == [], output
    assert "sigcheck: 0 failed" in output
    assert "ok integer and x87 registers survive signals at any instruction" in output
    assert "up " in machine.run("uptime")  # and the kernel carries on
