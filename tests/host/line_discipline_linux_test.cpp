// tests/host/line_discipline_linux_test.cpp -- the line discipline against
// Linux's own: the same settings and the same keys go to our LineDiscipline
// and to a pseudo-terminal of the host's Linux kernel (posix_openpt), and
// the echo, the bytes each read gets and FIONREAD must be the same.
//
// The pseudo-terminal is opened without becoming the test's controlling
// terminal, so its signal keys signal nobody; its reads are non-blocking
// and come after the echo has settled. The settings go in with the raw
// TCSETS request (glibc's <termios.h> would clash with our names).
#include <gtest/gtest.h>

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <functional>
#include <string>
#include <vector>

#include "drivers/console/line_discipline.h"

namespace {

namespace flags = termios_flags;

struct Outcome {
    std::string echo;
    std::vector<std::string> reads;  // "EAGAIN" when nothing was readable
    int readable_before_reads = 0;
    bool operator==(const Outcome&) const = default;
};

std::string quoted_short(const std::string& s) {
    std::string shown;
    for (unsigned char c : s) {
        char hex[8];
        if (c < 0x20 || c >= 0x7f) snprintf(hex, sizeof hex, "\\x%02x", c), shown += hex;
        else shown += char(c);
    }
    return "\"" + shown + "\"";
}

std::ostream& operator<<(std::ostream& out, const Outcome& outcome) {
    auto quoted = [](const std::string& s) {
        if (s.size() > 80) {  // a long one: its length and its ends
            return std::to_string(s.size()) + " bytes " + quoted_short(s.substr(0, 20)) + "..." +
                   quoted_short(s.substr(s.size() - 20));
        }
        return quoted_short(s);
    };
    out << "echo " << quoted(outcome.echo) << ", FIONREAD " << outcome.readable_before_reads << ", reads";
    for (const std::string& read : outcome.reads) out << " " << quoted(read);
    return out;
}

struct Case {
    const char* name;
    std::function<void(Termios&)> configure;
    std::string keys;
    std::vector<size_t> read_sizes;
    std::string then_keys = "";  // typed after the echo of `keys` went out
    // Applied (on top of `configure`) after `keys`, before `then_keys`.
    std::function<void(Termios&)> then_configure = nullptr;
};

Outcome run_ours(const Case& c) {
    Outcome outcome;
    LineDiscipline discipline([](const char* text, size_t length, void* echo) {
        static_cast<std::string*>(echo)->append(text, length);
    }, &outcome.echo);
    Termios settings = discipline.settings();
    c.configure(settings);
    discipline.set_settings(settings);
    for (char key : c.keys) discipline.receive(key);
    if (c.then_configure) {
        c.then_configure(settings);
        discipline.set_settings(settings);
    }
    for (char key : c.then_keys) discipline.receive(key);
    outcome.readable_before_reads = int(discipline.readable_bytes());
    for (size_t size : c.read_sizes) {
        std::string buffer(size, '\0');
        if (!discipline.has_input()) {
            outcome.reads.push_back("EAGAIN");
            continue;
        }
        size_t got = discipline.canonical() ? discipline.read_canonical(buffer.data(), size).count
                                            : discipline.read_noncanonical(buffer.data(), size);
        outcome.reads.push_back(buffer.substr(0, got));
    }
    return outcome;
}

std::string drain(int master) {
    std::string echo;
    pollfd ready{master, POLLIN, 0};
    while (poll(&ready, 1, 100) == 1 && (ready.revents & POLLIN)) {
        char buffer[4096];
        ssize_t got = ::read(master, buffer, sizeof buffer);
        if (got <= 0) break;
        echo.append(buffer, size_t(got));
    }
    return echo;
}

Outcome run_linux(const Case& c) {
    Outcome outcome;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    if (master < 0 || grantpt(master) != 0 || unlockpt(master) != 0) {
        ADD_FAILURE() << "no pseudo-terminal on this host";
        return outcome;
    }
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY | O_NONBLOCK);
    EXPECT_GE(slave, 0);
    // The Linux console's settings, then the case's changes, then onto the pty.
    Termios ours = linux_console_settings();
    c.configure(ours);
    // TCGETS/TCSETS take the kernel's struct termios, the same 36 bytes on
    // x86-64 as on i386: our Termios goes in as it is, the pty's c_cflag kept.
    Termios host;
    EXPECT_EQ(ioctl(slave, TCGETS, &host), 0);
    ours.control_flags = host.control_flags;
    EXPECT_EQ(ioctl(slave, TCSETS, &ours), 0);
    EXPECT_EQ(::write(master, c.keys.data(), c.keys.size()), ssize_t(c.keys.size()));
    outcome.echo = drain(master);
    if (c.then_configure) {
        c.then_configure(ours);
        EXPECT_EQ(ioctl(slave, TCSETS, &ours), 0);
    }
    if (!c.then_keys.empty()) {
        EXPECT_EQ(::write(master, c.then_keys.data(), c.then_keys.size()), ssize_t(c.then_keys.size()));
        outcome.echo += drain(master);
    }
    ioctl(slave, FIONREAD, &outcome.readable_before_reads);
    for (size_t size : c.read_sizes) {
        std::string buffer(size, '\0');
        ssize_t got = ::read(slave, buffer.data(), size);
        outcome.reads.push_back(got < 0 ? std::string("EAGAIN") : buffer.substr(0, size_t(got)));
    }
    close(slave);
    close(master);
    return outcome;
}

void no_change(Termios&) {}
auto local_off(uint32_t clear) {
    return [clear](Termios& t) { t.local_flags &= ~clear; };
}
auto raw(uint8_t vmin, uint8_t vtime) {
    return [vmin, vtime](Termios& t) {
        t.input_flags &= ~(flags::ICRNL | flags::INLCR | flags::IGNCR | flags::ISTRIP);
        t.output_flags &= ~flags::OPOST;
        t.local_flags &= ~(flags::ECHO | flags::ICANON | flags::ISIG | flags::IEXTEN);
        t.control_characters[VMIN] = vmin;
        t.control_characters[VTIME] = vtime;
    };
}

const std::vector<Case>& cases() {
    static const std::vector<Case> all = {
        {"plain line", no_change, "echo hi\r", {100, 100}},
        {"erase and tab", no_change, "ab\tc\x7f\x7f\x7f" "d\n", {100}},
        {"tab after text erased", no_change, "x\tab\t\x7f\x7f" "c\n", {100}},
        {"erase a control", no_change, "a\x01\x7f\n", {100}},
        {"erase without echoe", local_off(flags::ECHOE), "abc\x7f\x7f\n", {100}},
        {"erase a control without echoctl", local_off(flags::ECHOCTL), "a\x01\x7f" "b\n", {100}},
        {"kill, echoke", no_change, "abc\x15" "d\n", {100}},
        {"kill without echoke", local_off(flags::ECHOKE), "abc\x15" "d\n", {100}},
        {"kill without echok", local_off(flags::ECHOK | flags::ECHOKE), "abc\x15" "d\n", {100}},
        {"kill without echo", local_off(flags::ECHO), "abc\x15" "d\n", {100}},
        {"word erase", no_change, "foo bar  \x17x\n", {100}},
        {"word erase twice", no_change, "one two.three\x17\x17\x17z\n", {100}},
        {"reprint", no_change, "ab\x01\x12" "c\n", {100}},
        {"literal next", no_change, "a\x16\x03\x16\x7f\x16\x15" "b\n", {100}},
        {"no iexten", local_off(flags::IEXTEN), "a b\x17\x16\x12\n", {100}},
        {"escape sequence", no_change, "ls\x1b[A\x1bOB\n", {100}},
        {"no echo", local_off(flags::ECHO), "secret\x7fT\n", {100}},
        {"echonl", [](Termios& t) { t.local_flags = (t.local_flags & ~flags::ECHO) | flags::ECHONL; }, "pw\n", {100}},
        {"eof alone, then a line", no_change, "\x04" "after\n", {100, 100, 100}},
        {"eof mid-line", no_change, "ab\x04" "cd\n", {100, 100, 100}},
        {"eof after a line read in pieces", no_change, "abc\x04" "x\n", {3, 3, 3}},
        {"lines in pieces", no_change, "abcdefghij\nnext\n", {4, 4, 4, 4, 4, 4}},
        {"unfinished line", no_change, "typing", {100}},
        {"interrupt", no_change, "one\ntwo", {100, 100}, "\x03three\n"},
        {"quit with noflsh", [](Termios& t) { t.local_flags |= flags::NOFLSH; }, "one\ntw", {100, 100}, "\x1co\n"},
        {"kill over tabs and controls", no_change, "a\tb\x02\tc\x15" "d\n", {100}},
        {"word erase over tabs", no_change, "ab\tcd\t\x17\x17" "e\n", {100}},
        {"erase to the line start and beyond", no_change, "ab\x7f\x7f\x7f\x7f" "c\n", {100}},
        {"interrupt without echoctl", local_off(flags::ECHOCTL), "x", {100}, "\x03y\n"},
        {"literal newline", no_change, "a\x16\n\n", {100}},
        {"non-canonical, return mapped", [](Termios& t) { t.local_flags &= ~flags::ICANON; }, "a\r\n", {100}},
        {"suspend, no isig", local_off(flags::ISIG), "a\x1a\x03\n", {100}},
        {"no icrnl", [](Termios& t) { t.input_flags &= ~flags::ICRNL; }, "a\rb\n", {100}},
        {"inlcr", [](Termios& t) { t.input_flags = flags::INLCR; }, "a\nb\r", {100, 100}},
        {"igncr", [](Termios& t) { t.input_flags |= flags::IGNCR; }, "a\r\n", {100}},
        {"istrip", [](Termios& t) { t.input_flags |= flags::ISTRIP; }, "\xe1\xe2\x8a", {100}},
        {"iutf8 erase", [](Termios& t) { t.input_flags |= flags::IUTF8; }, "a\xc3\xa9\xe2\x82\xac\x7f\x7f" "b\n", {100}},
        {"eol and eol2", [](Termios& t) { t.control_characters[VEOL] = ';'; t.control_characters[VEOL2] = '|'; },
         "a;b|c\n", {100, 100, 100}},
        {"no opost", [](Termios& t) { t.output_flags &= ~flags::OPOST; }, "a\x01\n", {100}},
        {"ocrnl onlret", [](Termios& t) { t.output_flags |= flags::OCRNL | flags::ONLRET; t.input_flags &= ~flags::ICRNL; },
         "ab\r\n", {100}},
        {"raw", raw(1, 0), "a\x7f\x03\r\n\x04", {3, 100, 100}},
        {"non-canonical with echo", [](Termios& t) { t.local_flags &= ~flags::ICANON; t.input_flags = 0; },
         "a\r\x7f\x1b\n\t", {100}},
        {"non-canonical, min 0 time 0", raw(0, 0), "xyz", {2, 2}},
        {"to non-canonical with a line and a half", no_change, "line\npart", {3, 100, 100}, "+",
         raw(1, 0)},
        {"to canonical with bytes typed raw", raw(1, 0), "abc", {100, 100}, "de\n",
         [](Termios& t) { t.local_flags |= flags::ICANON | flags::ECHO; }},
        {"to non-canonical after a VEOF", no_change, "ab\x04", {1, 100, 100}, "cd",
         [](Termios& t) { t.local_flags &= ~flags::ICANON; }},
        {"long line", no_change, std::string(5000, 'x') + "\n", {8192, 8192}},
    };
    return all;
}

class AgainstLinux : public testing::TestWithParam<size_t> {};

TEST_P(AgainstLinux, SameEchoSameReads) {
    const Case& c = cases()[GetParam()];
    Outcome linux_outcome = run_linux(c);
    Outcome our_outcome = run_ours(c);
    EXPECT_EQ(our_outcome, linux_outcome) << c.name;
}

INSTANTIATE_TEST_SUITE_P(Cases, AgainstLinux, testing::Range(size_t(0), cases().size()),
                         [](const testing::TestParamInfo<size_t>& info) {
                             std::string name = cases()[info.param].name;
                             for (char& ch : name) if (!isalnum(uint8_t(ch))) ch = '_';
                             return name;
                         });

}  // namespace
