"""Memory shared between processes: copy-on-write fork, demand-zero pages,
and the limits that keep a fork bomb from taking the machine down.

The programs are /bin/cowcheck (parent and child each see only their own
writes; it passes on a Linux host too), /bin/forkbomb (forks until fork
fails, then lets every child exit) and /bin/memhog (writes more memory
than there is). The monitor's `mem` says what the machine has free before
and after."""
import re


def free_kib(machine):
    return int(re.search(r"(\d+) KiB free", machine.run("mem")).group(1))


def user_pages(machine):
    match = re.search(r"user pages: (\d+) in use, (\d+) of them shared", machine.run("mem"))
    return int(match.group(1)), int(match.group(2))


def about_the_same(kib, reference):
    """Within 64 KiB: the kernel heap may keep or give back a page or two, but
    a page lost per child would be 250 KiB and more."""
    return abs(kib - reference) <= 64


def fork_failure(output):
    """(children started, reason) from forkbomb's report."""
    match = re.search(r"fork failed after (\d+) children: (.*)", output)
    assert match, output
    return int(match.group(1)), match.group(2)


def test_cowcheck_passes_and_leaves_no_memory_behind(machine):
    machine.run("run /bin/cowcheck -n 5")  # the kernel heap and caches settle
    before = free_kib(machine)
    output = machine.run("run /bin/cowcheck", timeout=300)
    failures = [line for line in output.splitlines() if line.startswith("FAIL")]
    assert failures == [], output
    assert "cowcheck: 0 failed" in output
    assert "ok the child sees what read() wrote" in output  # a kernel write into a shared page
    assert "ok read() into shared code is EFAULT" in output
    assert free_kib(machine) == before
    assert user_pages(machine) == (0, 0)


def test_fork_bomb_stops_at_the_process_limit(machine):
    before = free_kib(machine)
    output = machine.run("run /bin/forkbomb", timeout=300)
    assert "process limit (RLIMIT_NPROC): 64" in output
    # Everything runs as root, and the limit binds root too: the bomb
    # itself is the first of the 64 processes.
    assert fork_failure(output) == (63, "Resource temporarily unavailable")
    assert "63 children ended: 63 exited, 0 killed by a signal" in output
    assert "exit status" not in output
    assert machine.run("run /bin/echo still here") == "still here\n"
    after_first = free_kib(machine)
    assert before - after_first < 512  # only the kernel heap and caches grew
    machine.run("run /bin/forkbomb", timeout=300)
    assert about_the_same(free_kib(machine), after_first)
    assert user_pages(machine) == (0, 0)


def test_max_user_processes_on_the_command_line(make_machine):
    machine = make_machine(append="max_user_processes=10").boot()
    output = machine.run("run /bin/forkbomb")
    assert "process limit (RLIMIT_NPROC): 10" in output
    assert fork_failure(output) == (9, "Resource temporarily unavailable")
    assert "9 children ended: 9 exited" in output


def test_a_bad_max_user_processes_keeps_the_default(make_machine):
    machine = make_machine(append="max_user_processes=lots").boot()
    assert "max_user_processes=lots: not a number" in machine.boot_output
    assert "process limit (RLIMIT_NPROC): 64" in machine.run("run /bin/forkbomb")


def test_fork_bomb_out_of_memory_fails_cleanly(make_machine):
    # No process limit to speak of, little memory: fork must fail with
    # ENOMEM while the parent and its children can still run and exit.
    machine = make_machine(memory=32, append="max_user_processes=100000").boot()
    before = free_kib(machine)
    output = machine.run("run /bin/forkbomb", timeout=300)
    children, reason = fork_failure(output)
    assert reason == "Cannot allocate memory"
    # Copy-on-write makes a child cost a few pages (page tables, kernel
    # stack, the pages it writes): under 48 KiB each of what was free above
    # fork's 1 MiB reserve, where copying the 256 KiB stack alone would cost
    # more than five times that.
    assert children * 48 > before - 1024, (before, output)
    assert f"{children} children ended: {children} exited, 0 killed by a signal" in output
    after_first = free_kib(machine)
    assert before - after_first < 512
    assert fork_failure(machine.run("run /bin/forkbomb", timeout=300))[1] == "Cannot allocate memory"
    assert about_the_same(free_kib(machine), after_first)
    assert "cowcheck: 0 failed" in machine.run("run /bin/cowcheck -n 10", timeout=300)


def test_fork_bomb_from_the_shell(make_machine):
    shell = make_machine(append="init=/bin/init").boot()
    output = shell.run("forkbomb; echo \"status $?\"", timeout=300)
    # init, the shell and forkbomb are three of root's 64 processes.
    assert fork_failure(output) == (61, "Resource temporarily unavailable"), output
    assert output.endswith("status 0\n"), output
    # In a pipeline, cat is a fourth.
    assert fork_failure(shell.run("forkbomb | cat", timeout=300))[0] == 60
    assert shell.run("echo alive | cat") == "alive\n"
    assert "cowcheck: 0 failed" in shell.run("cowcheck -n 10", timeout=300)


def test_out_of_memory_ends_the_program_not_the_kernel(make_machine):
    machine = make_machine(memory=32).boot()
    assert "memhog: wrote 8 MiB" in machine.run("run /bin/memhog 8")
    before = free_kib(machine)
    # Anonymous memory comes on first write: mapping 64 MiB succeeds, the
    # writes run out, and the program that made them is ended.
    output = machine.run("run /bin/memhog 64", timeout=300)
    assert "memhog: mapped 64 MiB" in output
    assert re.search(r"memhog\[\d+\]: write to 0x[0-9a-f]+: out of memory", output), output
    assert re.search(r"memhog\[\d+\]: segfault at 0x[0-9a-f]+ ip 0x[0-9a-f]+ ", output), output
    assert "run: /bin/memhog: killed by signal 11" in output
    assert about_the_same(free_kib(machine), before)
    # When the kernel writes for the program (read), the call fails instead.
    output = machine.run("run /bin/memhog -k 64", timeout=300)
    assert re.search(r"warning: memhog\[\d+\]: EFAULT writing to 0x[0-9a-f]+: out of memory", output), output
    assert "memhog: read from /dev/zero: Bad address" in output
    assert "run: /bin/memhog: exit status 1" in output
    assert about_the_same(free_kib(machine), before)
    assert user_pages(machine) == (0, 0)
    assert "memhog: wrote 8 MiB" in machine.run("run /bin/memhog 8")
