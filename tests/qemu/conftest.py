"""Fixtures for the QEMU tests: a booted machine per test, always cleaned up."""
import sys
import os

import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from machine import Machine  # noqa: E402


@pytest.fixture
def make_machine(tmp_path):
    machines = []

    def start(**options):
        index = len(machines)
        path = tmp_path / f"machine{index}"
        path.mkdir()
        machine = Machine(path, **options)
        machines.append(machine)
        return machine

    yield start
    for machine in machines:
        machine.close()


@pytest.fixture
def machine(make_machine):
    return make_machine().boot()
