"""The console's line discipline as a user at the serial terminal meets it."""


def test_backspace_erases_the_last_character(machine):
    machine.type("uptimx\x7fe\n")
    output = machine.expect(r"# $")
    assert "up " in output and "unknown command" not in output


def test_control_u_erases_the_whole_line(machine):
    machine.type("garbage words\x15uptime\n")
    output = machine.expect(r"# $")
    assert "up " in output and "unknown command" not in output


def test_control_c_discards_the_line_and_gives_a_new_prompt(machine):
    machine.type("panic\x03")
    output = machine.expect(r"# $")
    assert "^C" in output
    # The discarded "panic" did not run: the machine still answers.
    assert "up " in machine.run("uptime")


def test_control_d_on_an_empty_line_is_end_of_file(machine):
    machine.type("\x04")
    machine.expect(r"# $")
    assert "up " in machine.run("uptime")


def test_arrow_key_escape_sequences_do_not_reach_the_command(machine):
    machine.type("upt\x1b[Dime\n")
    output = machine.expect(r"# $")
    assert "up " in output and "unknown command" not in output


def test_long_line_is_accepted_and_reported(machine):
    word = "x" * 200
    assert f"{word}: unknown command" in machine.run(word)
