"""tests/user/conftest.py -- says how this host runs our i386 programs."""
import i386_programs


def pytest_report_header(config):
    if i386_programs.NATIVE:
        return "user programs: run natively (this host executes i386 programs)"
    return f"user programs: run under {i386_programs.QEMU_I386} (this host cannot execute i386 programs)"
