"""The bash script corpus (tests/user/bash_corpus/*.sh) and how the host
runs it: shared by the user tier (tests/user/test_bash_corpus.py) and the
QEMU tier (tests/qemu/test_bash_corpus.py), whose reference it is.

A script runs as `bash NAME.sh` in the corpus folder (so $0 is the same
everywhere), with Debian's bash-static, PATH, HOME and TMPDIR set and
nothing else inherited; standard error goes where standard output goes.
Its output is that, then "status N". Each script ends by printing
"end of NAME", so a script that stops early shows.
"""
import os
import subprocess

HERE = os.path.dirname(os.path.abspath(__file__))
CORPUS = os.path.join(HERE, "bash_corpus")
BASH_STATIC = os.path.join(os.path.dirname(os.path.dirname(HERE)), "build", "bash-static", "bash")


def script_names():
    return sorted(name[:-3] for name in os.listdir(CORPUS) if name.endswith(".sh"))


def command_line(name):
    """What runs one script, on the host and typed in the guest alike."""
    return f"bash {name}.sh 2>&1; echo status $?"


def run_on_host(name, scratch):
    """The output of script `name` under the host's Linux, and its status line."""
    environment = {"PATH": os.path.dirname(BASH_STATIC) + ":/usr/bin:/bin", "HOME": "/", "TMPDIR": scratch}
    result = subprocess.run(["/bin/sh", "-c", command_line(name)], cwd=CORPUS, env=environment,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600)
    return result.stdout.decode()
