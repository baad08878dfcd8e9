"""The bash script corpus on the host: every script runs to its end under
Debian's bash-static with status 0 (bash_corpus_runs.py says how). The
same output is what the kernel must give (tests/qemu/test_bash_corpus.py).

    /usr/bin/python3 -m pytest -q tests/user/test_bash_corpus.py
"""
import os

import pytest

import bash_corpus_runs


def test_the_corpus_covers_what_it_promises():
    assert len(bash_corpus_runs.script_names()) >= 12


@pytest.mark.parametrize("name", bash_corpus_runs.script_names())
def test_a_script_runs_to_its_end_on_the_host(name, tmp_path):
    if not os.path.exists(bash_corpus_runs.BASH_STATIC):
        pytest.fail(f"{bash_corpus_runs.BASH_STATIC} is missing: make build/bash-static/bash")
    output = bash_corpus_runs.run_on_host(name, str(tmp_path))
    assert output.endswith(f"end of {name}\nstatus 0\n"), output
    assert os.listdir(tmp_path) == [], "a script must clean up its scratch files"
