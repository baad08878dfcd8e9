"""Tests of the shell (user/bin/sh/), init and kill, run natively on the
Linux host like test_programs.py: PATH holds only build/user/bin (our cat,
echo, ls, env, ...) and, where a test says so, the host's /bin for dash.
Scripts whose behaviour is POSIX are also run by /bin/sh (dash) and the
outputs compared.

    /usr/bin/python3 -m pytest -q tests/user/test_sh.py
"""
import os
import signal
import subprocess
import time

import pytest

import i386_programs

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BIN = i386_programs.BIN  # where our programs run from (natively or under qemu-i386)
SH = os.path.join(BIN, "sh")


@pytest.fixture(scope="module", autouse=True)
def build():
    subprocess.run(["make", "-s", "-f", "user/user.mk", "user-programs"], cwd=ROOT, check=True)


def env(**extra):
    e = {"PATH": BIN, "HOME": "/", "LC_ALL": "C"}
    e.update(extra)
    return e


def sh(script, *args, shell=None, stdin=None, cwd=None, **extra):
    """Runs `sh -c SCRIPT`; returns (stdout, stderr, status) as text."""
    argv = [shell or SH, "-c", script, *args]
    r = subprocess.run(argv, input=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env(**extra), cwd=cwd, timeout=30, text=True)
    return r.stdout, i386_programs.without_emulator_notes(r.stderr), r.returncode


def out(script, **kw):
    stdout, stderr, status = sh(script, **kw)
    assert stderr == "", stderr
    return stdout


# ---- pipelines ----

def test_two_stage_pipeline():
    assert out("echo hi | cat") == "hi\n"


def test_three_stage_pipeline():
    assert out("echo a b c | cat | cat") == "a b c\n"


def test_long_pipeline_of_cat():
    assert out("echo deep" + " | cat" * 40) == "deep\n"


def test_pipeline_status_is_the_last_command():
    assert sh("false | true") == ("", "", 0)
    assert sh("true | false") == ("", "", 1)


def test_pipeline_carries_a_large_stream(tmp_path):
    data = "".join("line %d\n" % i for i in range(20000))
    (tmp_path / "big").write_text(data)
    assert out("cat big | cat | cat", cwd=tmp_path) == data


def test_negated_pipeline():
    assert out("! false && echo negated") == "negated\n"


# ---- redirections ----

def test_redirect_output_append_input(tmp_path):
    assert out("echo one > f; echo two >> f; cat < f", cwd=tmp_path) == "one\ntwo\n"
    assert (tmp_path / "f").read_text() == "one\ntwo\n"


def test_redirect_truncates(tmp_path):
    out("echo long-line > f; echo x > f", cwd=tmp_path)
    assert (tmp_path / "f").read_text() == "x\n"


def test_stderr_to_stdout_and_to_file(tmp_path):
    message = "ls: /no/such: No such file or directory\n"
    stdout, stderr, status = sh("ls /no/such 2>&1 | cat", cwd=tmp_path)
    assert (stdout, stderr) == (message, "")
    stdout, stderr, status = sh("ls /no/such 2>err; echo $?", cwd=tmp_path)
    assert (stdout, stderr) == ("2\n", "")
    assert (tmp_path / "err").read_text() == message


def test_redirect_of_a_builtin_is_undone(tmp_path):
    assert out("pwd > p; echo after", cwd=tmp_path) == "after\n"
    assert (tmp_path / "p").read_text() == str(tmp_path) + "\n"


def test_builtin_echo_prints_as_bin_echo_and_reports_write_errors():
    for words in ["hi there", "-n no newline", "-e 'a\\tb\\c gone'", "-x -- -n", "''"]:
        assert out(f"echo {words}") == out(f"/bin/echo {words}", PATH=BIN), words
    stdout, stderr, status = sh("echo hi > /dev/full; echo status $?")
    assert stdout == "status 1\n"
    assert stderr == "sh: echo: write error: No space left on device\n"


def test_redirect_from_missing_file_fails():
    stdout, stderr, status = sh("cat < /no/such; echo $?")
    assert stdout == "1\n"
    assert stderr == "sh: /no/such: No such file or directory\n"


# ---- lists and status ----

def test_status_after_false_and_true():
    assert out("false; echo $?; true; echo $?") == "1\n0\n"


def test_and_or():
    assert out("true && echo a; false && echo b; false || echo c; true || echo d") == "a\nc\n"
    assert out("false && echo x || echo y") == "y\n"


def test_exit_status_of_the_shell():
    assert sh("exit 3") == ("", "", 3)
    assert sh("false") == ("", "", 1)
    assert sh("echo x; true") == ("x\n", "", 0)
    assert sh("false; exit") == ("", "", 1)


# ---- words ----

def test_single_and_double_quotes():
    assert out("X=val; echo 'a  $X' \"b  $X\" c\\ \\$X") == "a  $X b  val c $X\n"


def test_variable_forms():
    assert out("X=abc; echo $X ${X}def \"${X}\"") == "abc abcdef abc\n"


def test_unquoted_expansion_splits_and_empty_vanishes():
    assert out("X='1   2'; echo [$X] \"[$X]\" $NONE end") == "[1 2] [1   2] end\n"


def test_pid_variable():
    stdout = out("echo $$")
    assert stdout.strip().isdigit()


def test_comments_and_blank_lines():
    assert out("# a comment\n\necho a # trailing\n   \necho b") == "a\nb\n"


def test_quote_spanning_lines():
    assert out("echo 'x\ny'") == "x\ny\n"


# ---- commands ----

def test_missing_command():
    stdout, stderr, status = sh("nosuchcommand")
    assert (stdout, stderr, status) == ("", "sh: nosuchcommand: not found\n", 127)


def test_not_executable(tmp_path):
    (tmp_path / "f").write_text("echo x\n")
    os.chmod(tmp_path / "f", 0o644)
    stdout, stderr, status = sh("./f", cwd=tmp_path)
    assert status == 126 and stderr == "sh: ./f: Permission denied\n"


def test_sh_c_with_arguments():
    r = subprocess.run([SH, "-c", 'echo "$0 $1 $2 $#"', "name", "a", "b"],
                       stdout=subprocess.PIPE, env=env(), text=True)
    assert r.stdout == "name a b 2\n"


def test_script_file_as_argument_and_executable(tmp_path):
    script = tmp_path / "s"
    script.write_text("#!/bin/sh\n# a script\necho arg=$1\nfalse\n")
    os.chmod(script, 0o755)
    r = subprocess.run([SH, str(script), "A"], stdout=subprocess.PIPE, env=env(), text=True)
    assert (r.stdout, r.returncode) == ("arg=A\n", 1)
    # ./s: the host kernel starts it with #!/bin/sh (dash), our sh only forks and execs
    assert sh("./s B; echo status=$?", cwd=tmp_path)[0] == "arg=B\nstatus=1\n"


def test_script_without_hash_bang_runs_in_a_child_shell(tmp_path):
    (tmp_path / "plain").write_text("echo plain $1\n")
    os.chmod(tmp_path / "plain", 0o755)
    assert out("./plain z", cwd=tmp_path) == "plain z\n"


def test_script_from_stdin_leaves_the_rest_to_commands():
    r = subprocess.run([SH], input="cat\nline for cat\n", stdout=subprocess.PIPE,
                       env=env(), text=True)
    assert r.stdout == "line for cat\n"


def test_no_prompt_without_a_terminal():
    r = subprocess.run([SH], input="echo a\n", stdout=subprocess.PIPE, env=env(), text=True)
    assert r.stdout == "a\n"


def test_syntax_error_ends_a_script():
    stdout, stderr, status = sh("echo a; | cat; echo b")
    assert (stdout, stderr, status) == ("", "sh: syntax error near unexpected '|'\n", 2)


def test_help():
    r = subprocess.run([SH, "--help"], stdout=subprocess.PIPE, text=True)
    assert r.returncode == 0 and r.stdout.startswith("Usage: sh")


# ---- builtins ----

def test_cd_and_pwd(tmp_path):
    (tmp_path / "sub").mkdir()
    assert out("cd sub; pwd; cd ..; pwd", cwd=tmp_path) == "%s/sub\n%s\n" % (tmp_path, tmp_path)
    assert out("cd; pwd", HOME=str(tmp_path)) == str(tmp_path) + "\n"
    stdout, stderr, status = sh("cd /no/such")
    assert status == 1 and stderr == "sh: cd: /no/such: No such file or directory\n"


def test_export_and_unset_seen_by_a_child():
    def environment(script):
        """The lines env prints; HOME=/ (from env() above) shows it printed the environment."""
        lines = out(script).splitlines()
        assert "HOME=/" in lines, lines
        return lines
    assert environment("export A=1; env | cat").count("A=1") == 1
    assert not [line for line in environment("B=2; env") if line.startswith("B=")]
    assert environment("B=2; export B; env").count("B=2") == 1
    assert not [line for line in environment("export A=1; unset A; env") if line.startswith("A=")]
    assert environment("C=3 env").count("C=3") == 1
    assert out("C=3 env >/dev/null; echo [$C]") == "[]\n"


def test_dot_sources_into_this_shell(tmp_path):
    (tmp_path / "lib").write_text("V=sourced\ncd /\n")
    assert out(". ./lib; echo $V; pwd", cwd=tmp_path) == "sourced\n/\n"


def test_background_and_wait(tmp_path):
    assert out("echo bg > f & wait; cat f", cwd=tmp_path) == "bg\n"


# ---- the same output as dash ----

SCRIPTS = [
    "echo hello world",
    "echo a; echo b && echo c || echo d",
    "false || true && echo ok",
    "X=5; echo $X ${X} \"$X\" '$X'",
    "echo \"a\\\"b\" 'c\"d' e\\'f",
    "false; echo $?; true; echo $?",
    "A='x y'; echo $A; echo \"$A\"",
    "echo one | cat | cat; echo two",
    "cd /; pwd",
    "export Q=1; env | cat | grep -c Q= || true",
    "nosuch 2>/dev/null; echo $?",
    "echo $NOTSET; echo \"[$NOTSET]\"",
    "X=1; X=2 true; echo $X",
    "echo a\\\nb",
    "! true; echo $?",
    "echo x >&2 2>/dev/null",
]


@pytest.mark.parametrize("script", SCRIPTS)
def test_same_as_dash(script, tmp_path):
    path = BIN + ":/usr/bin:/bin"
    ours = subprocess.run([SH, "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=env(PATH=path), cwd=tmp_path, text=True, timeout=30)
    dash = subprocess.run(["/bin/sh", "-c", script], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, env=env(PATH=path), cwd=tmp_path,
                          text=True, timeout=30)
    assert (ours.stdout, ours.stderr, ours.returncode) == (dash.stdout, dash.stderr, dash.returncode)


# ---- commands ended by a signal ----

# Named as bash names them (glibc's strsignal, which Python's signal.strsignal
# calls), with status 128 + the signal.
@pytest.mark.parametrize("mode,sig", [("segv", signal.SIGSEGV), ("null", signal.SIGSEGV),
                                      ("divide", signal.SIGFPE), ("illegal", signal.SIGILL),
                                      ("abort", signal.SIGABRT)])
def test_a_command_a_signal_ended_is_named_like_bash(mode, sig):
    stdout, stderr, status = sh(f"fault {mode}; echo $?")
    assert (stdout, stderr, status) == (f"{128 + sig}\n", signal.strsignal(sig) + "\n", 0)


@pytest.mark.parametrize("name,sig", [("KILL", signal.SIGKILL), ("TERM", signal.SIGTERM)])
def test_a_killed_command_is_named_too(name, sig):
    stdout, stderr, _ = sh(f"/bin/sh -c 'kill -{name} $$'; echo $?")
    assert (stdout, stderr) == (f"{128 + sig}\n", signal.strsignal(sig) + "\n")


def test_sigint_and_sigpipe_are_not_reported():
    stdout, stderr, _ = sh("/bin/sh -c 'kill -INT $$'; echo $?; /bin/sh -c 'kill -PIPE $$'; echo $?")
    assert (stdout, stderr) == ("130\n141\n", "")


def test_in_a_pipeline_only_the_last_command_is_reported():
    stdout, stderr, _ = sh("fault segv | cat; echo $?; echo x | fault divide; echo $?")
    assert (stdout, stderr) == ("0\n136\n", "Floating point exception\n")


# ---- kill ----

def run_bin(name, *args):
    return subprocess.run([os.path.join(BIN, name), *args], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True, timeout=30)


@pytest.mark.parametrize("spec,sig", [("-INT", signal.SIGINT), ("-9", signal.SIGKILL),
                                      ("-KILL", signal.SIGKILL), (None, signal.SIGTERM),
                                      ("-SIGTERM", signal.SIGTERM)])
def test_kill_sends_the_signal(spec, sig):
    victim = subprocess.Popen(["/bin/sleep", "30"])
    try:
        r = run_bin("kill", *([spec] if spec else []), str(victim.pid))
        assert r.returncode == 0 and r.stderr == ""
        assert victim.wait(timeout=10) == -sig
    finally:
        victim.kill()


def test_kill_reports_each_bad_pid():
    r = run_bin("kill", "-TERM", "999999999", "abc")
    assert r.returncode == 1
    assert r.stderr == "kill: 999999999: No such process\nkill: abc: invalid process id\n"


KILL_USAGE = ("Usage: kill [-SIGNAL | -s SIGNAL] PID...\n"
              "   or: kill -l\n"
              "Send SIGNAL (a name such as INT, TERM, KILL, or a number; default TERM)\n"
              "to each process PID.\n")


def test_kill_usage_errors():
    r = run_bin("kill")
    assert (r.stdout, r.stderr, r.returncode) == ("", "kill: missing process id\n" + KILL_USAGE, 2)
    r = run_bin("kill", "-NOPE", "1")
    assert (r.stdout, r.stderr, r.returncode) == ("", "kill: NOPE: invalid signal\n" + KILL_USAGE, 2)
    r = run_bin("kill", "--help")
    assert (r.stdout, r.stderr, r.returncode) == (KILL_USAGE, "", 0)


# ---- init ----

def test_init_runs_rc_then_restarts_the_shell(tmp_path):
    rc = tmp_path / "rc"
    rc.write_text("echo rc ran\n")
    init = subprocess.Popen([os.path.join(BIN, "init"), "--rc", str(rc), "--shell", SH],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env=env(), text=True)
    try:
        init.stdin.write("echo in shell\nexit 3\n")
        init.stdin.flush()
        lines = [init.stdout.readline() for _ in range(3)]
        assert lines == ["rc ran\n", "in shell\n",
                         "init: shell exited with status 3; starting a new one\n"]
    finally:
        init.kill()
        init.wait()


def test_init_help():
    r = run_bin("init", "--help")
    assert r.returncode == 0 and r.stdout.startswith("Usage: init")


# ---- Ctrl-C ----

def test_sigint_ends_the_command_not_the_shell():
    p = subprocess.Popen([SH, "-c", "sleep 30; echo after $?"], stdout=subprocess.PIPE,
                         env=env(), text=True, start_new_session=True)
    time.sleep(0.5)
    os.killpg(p.pid, signal.SIGINT)   # what the terminal does on Ctrl-C
    stdout, _ = p.communicate(timeout=10)
    assert (stdout, p.returncode) == ("after 130\n", 0)


def test_help_lists_each_builtin_once_and_type_agrees():
    stdout = out("help")
    section = stdout.split("\n\n")[0].splitlines()
    assert section[0] == "Shell builtins:"
    names = [line.split()[0] for line in section[1:]]
    assert len(names) == len(set(names)) and len(names) >= 35
    for name in names:
        described = out("type '%s'" % name)
        assert "shell builtin" in described, (name, described)
    for required in ["cd", "echo", "printf", "test", "read", "trap", "jobs", "fg", "bg", "kill",
                     "getopts", "history", "help", "umask", "wait", "alias", "command", "type"]:
        assert required in names

