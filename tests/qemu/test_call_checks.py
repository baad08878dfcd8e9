"""The identity, settings and open-file calls on our kernel: /bin/idcheck
and /bin/filecheck, whose every check holds on the Linux host
(tests/user/test_check_programs.py), must give the same verdicts here."""
import os
import subprocess

import pytest

from machine import BUILD

BIN = os.path.join(BUILD, "user", "bin")


def linux_verdicts(name, *args):
    """The check lines `name` prints on this Linux host (all "ok")."""
    output = subprocess.run([os.path.join(BIN, name), *args], stdout=subprocess.PIPE, timeout=120).stdout.decode()
    assert f"{name}: 0 failed" in output, output
    return [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]


@pytest.fixture(scope="module")
def shell(tmp_path_factory):
    from machine import Machine
    machine = Machine(tmp_path_factory.mktemp("calls"), append="init=/bin/init")
    machine.boot()
    yield machine
    machine.close()


@pytest.mark.parametrize("name", ["idcheck", "filecheck"])
def test_check_program_agrees_with_linux(shell, tmp_path, name):
    args = [str(tmp_path)] if name == "filecheck" else []
    output = shell.run(f"/bin/{name}", timeout=300)
    verdicts = [line for line in output.splitlines() if line.startswith(("ok ", "FAIL "))]
    assert verdicts == linux_verdicts(name, *args), output
    assert output.endswith(f"{name}: 0 failed\n"), output
    assert shell.run("echo $?") == "0\n"

