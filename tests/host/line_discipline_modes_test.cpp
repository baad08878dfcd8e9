// tests/host/line_discipline_modes_test.cpp -- the terminal's other modes:
// signal keys with and without ISIG/NOFLSH, the input mappings (ICRNL,
// INLCR, IGNCR, ISTRIP), non-canonical input and its VMIN/VTIME rule,
// switching modes, flushing, FIONREAD, poll readiness and the output
// processing of program text. Expected values are POSIX's and what Linux's
// n_tty does with the same settings (line_discipline_linux_test.cpp
// compares with a live Linux pseudo-terminal).
#include <gtest/gtest.h>

#include <string>

#include "drivers/console/line_discipline.h"
#include "drivers/console/read_timing.h"

namespace {

using namespace termios_flags;
using Event = LineDiscipline::Event;

struct Terminal {
    std::string screen;
    LineDiscipline discipline{[](const char* text, size_t length, void* self) {
                                  static_cast<Terminal*>(self)->screen.append(text, length);
                              },
                              this};

    Event type(const std::string& keys) {
        Event last = Event::None;
        for (char c : keys) last = discipline.receive(c);
        return last;
    }
    std::string read_line(size_t size = 8192) {
        std::string buffer(size, '\0');
        buffer.resize(discipline.read_canonical(buffer.data(), size).count);
        return buffer;
    }
    std::string read_bytes(size_t size = 8192) {
        std::string buffer(size, '\0');
        buffer.resize(discipline.read_noncanonical(buffer.data(), size));
        return buffer;
    }
    void change(uint32_t Termios::*flags, uint32_t set, uint32_t clear = 0) {
        Termios settings = discipline.settings();
        settings.*flags = (settings.*flags | set) & ~clear;
        discipline.set_settings(settings);
    }
    void set_key(ControlCharacter which, uint8_t key) {
        Termios settings = discipline.settings();
        settings.control_characters[which] = key;
        discipline.set_settings(settings);
    }
    // cfmakeraw(3)'s settings, with the given VMIN and VTIME.
    void make_raw(uint8_t vmin = 1, uint8_t vtime = 0) {
        Termios settings = discipline.settings();
        settings.input_flags &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
        settings.output_flags &= ~OPOST;
        settings.local_flags &= ~(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
        settings.control_characters[VMIN] = vmin;
        settings.control_characters[VTIME] = vtime;
        discipline.set_settings(settings);
    }
};

// ---- the console's first settings ------------------------------------------

TEST(TerminalSettings, TheConsoleStartsWithWhatALinuxConsoleReports) {
    Terminal t;
    const Termios& s = t.discipline.settings();
    EXPECT_EQ(s.input_flags, ICRNL);
    EXPECT_EQ(s.output_flags, OPOST | ONLCR);
    EXPECT_EQ(s.control_flags, B38400 | CS8 | CREAD | HUPCL);
    EXPECT_EQ(s.local_flags, ISIG | ICANON | ECHO | ECHOE | ECHOK | ECHOCTL | ECHOKE | IEXTEN);
    // Linux's values of the flags (asm-generic/termbits.h), as stty prints them.
    EXPECT_EQ(s.local_flags, 0x8a3bu);
    EXPECT_EQ(s.control_flags, 0x4bfu);
    const uint8_t keys[] = {3, 0x1c, 0x7f, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1a, 0, 0x12, 0x0f, 0x17, 0x16, 0};
    for (size_t i = 0; i < sizeof keys; ++i) EXPECT_EQ(s.control_characters[i], keys[i]) << "c_cc[" << i << "]";
}

// ---- signal keys -------------------------------------------------------------

TEST(SignalKeys, EachKeyReportsItsSignalAndEchoesAsCaretLetter) {
    Terminal t;
    EXPECT_EQ(t.type("\x03"), Event::Interrupt);
    EXPECT_EQ(t.type("\x1c"), Event::Quit);
    EXPECT_EQ(t.type("\x1a"), Event::Suspend);
    EXPECT_EQ(t.screen, "^C^\\^Z");  // no newline: Linux leaves that to the shell
}

TEST(SignalKeys, AKeyThrowsAwayTheLineAndTheFinishedLines) {
    Terminal t;
    t.type("done\nsleep 100");
    EXPECT_EQ(t.type("\x03"), Event::Interrupt);
    EXPECT_FALSE(t.discipline.has_input());
    EXPECT_EQ(t.discipline.readable_bytes(), 0u);
    t.type("ok\n");
    EXPECT_EQ(t.read_line(), "ok\n");
}

TEST(SignalKeys, NoflshKeepsThePendingInput) {
    Terminal t;
    t.change(&Termios::local_flags, NOFLSH);
    t.type("done\nhalf");
    EXPECT_EQ(t.type("\x1c"), Event::Quit);
    t.type("\n");
    EXPECT_EQ(t.read_line(), "done\n");
    EXPECT_EQ(t.read_line(), "half\n");
}

TEST(SignalKeys, WithoutIsigTheKeysAreData) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ISIG);
    EXPECT_EQ(t.type("a\x03\x1c\x1a\n"), Event::InputReady);
    EXPECT_EQ(t.read_line(), "a\x03\x1c\x1a\n");
    EXPECT_EQ(t.screen, "a^C^\\^Z\r\n");
}

TEST(SignalKeys, TheKeysFollowTheirControlCharacters) {
    Terminal t;
    t.set_key(VINTR, 'q');
    t.set_key(VSUSP, DISABLED_CHARACTER);
    EXPECT_EQ(t.type("\x03\x1a"), Event::None);  // plain data now
    EXPECT_EQ(t.type("q"), Event::Interrupt);
}

TEST(SignalKeys, WithoutEchoTheKeyIsNotShown) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ECHO);
    EXPECT_EQ(t.type("\x03"), Event::Interrupt);
    EXPECT_EQ(t.screen, "");
}

TEST(SignalKeys, SignalKeysWorkInNonCanonicalModeToo) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ICANON);
    t.type("xy");
    EXPECT_EQ(t.type("\x03"), Event::Interrupt);
    EXPECT_EQ(t.discipline.readable_bytes(), 0u);
}

// ---- input mappings ----------------------------------------------------------

TEST(InputMappings, IcrnlTurnsReturnIntoNewline) {
    Terminal t;
    t.type("a\r");
    EXPECT_EQ(t.read_line(), "a\n");
}

TEST(InputMappings, WithoutIcrnlReturnIsDataAndDoesNotEndTheLine) {
    Terminal t;
    t.change(&Termios::input_flags, 0, ICRNL);
    EXPECT_EQ(t.type("a\r"), Event::None);
    t.type("\n");
    EXPECT_EQ(t.read_line(), "a\r\n");
    EXPECT_EQ(t.screen, "a^M\r\n");
}

TEST(InputMappings, InlcrTurnsNewlineIntoReturn) {
    Terminal t;
    t.change(&Termios::input_flags, INLCR, ICRNL);
    EXPECT_EQ(t.type("a\n"), Event::None);  // a '\r' now, not the end of the line
    t.change(&Termios::local_flags, 0, ICANON);
    EXPECT_EQ(t.read_bytes(), "a\r");
}

TEST(InputMappings, IgncrDropsReturnBeforeIcrnlCouldMapIt) {
    Terminal t;
    t.change(&Termios::input_flags, IGNCR);
    t.type("a\r\n");
    EXPECT_EQ(t.read_line(), "a\n");
    EXPECT_EQ(t.screen, "a\r\n");
}

TEST(InputMappings, IstripClearsTheEighthBit) {
    Terminal t;
    t.change(&Termios::input_flags, ISTRIP);
    t.type("\xe1\x8a\n");  // 0xe1 -> 'a', 0x8a -> '\n'
    EXPECT_EQ(t.read_line(), "a\n");
}

TEST(InputMappings, Iutf8IsHarmlessForReading) {
    Terminal t;
    t.change(&Termios::input_flags, IUTF8);
    t.type("\xe2\x82\xac\n");
    EXPECT_EQ(t.read_line(), "\xe2\x82\xac\n");
}

// ---- non-canonical input ----------------------------------------------------

TEST(NonCanonicalInput, EveryByteIsReadableAtOnce) {
    Terminal t;
    t.make_raw();
    EXPECT_EQ(t.type("a"), Event::InputReady);
    EXPECT_TRUE(t.discipline.has_input());
    t.type("\x7f\x15\x04\r\n\x1b[A");
    EXPECT_EQ(t.discipline.readable_bytes(), 9u);
    EXPECT_EQ(t.read_bytes(4), "a\x7f\x15\x04");
    EXPECT_EQ(t.read_bytes(), "\r\n\x1b[A");
    EXPECT_EQ(t.screen, "");  // raw: no echo
}

TEST(NonCanonicalInput, EchoWithEchoctlShowsControlsEvenNewline) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ICANON);
    t.change(&Termios::input_flags, 0, ICRNL);
    t.type("a\r\x7f\n");
    EXPECT_EQ(t.screen, "a^M^?^J");  // no erasing without ICANON; '\n' is a control too
    EXPECT_EQ(t.read_bytes(), "a\r\x7f\n");
}

TEST(NonCanonicalInput, ANewlineMadeOfAReturnEchoesAsANewline) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ICANON);
    t.type("a\r");
    EXPECT_EQ(t.screen, "a\r\n");
    EXPECT_EQ(t.read_bytes(), "a\n");
}

TEST(NonCanonicalInput, SwitchingFromCanonicalMakesThePartialLineReadable) {
    Terminal t;
    t.type("line\npart");
    t.change(&Termios::local_flags, 0, ICANON);
    EXPECT_EQ(t.discipline.readable_bytes(), 9u);
    EXPECT_EQ(t.read_bytes(), "line\npart");
}

TEST(NonCanonicalInput, AVeofFromCanonicalModeReadsAsANulByte) {
    Terminal t;
    t.type("ab\x04");
    t.change(&Termios::local_flags, 0, ICANON);
    EXPECT_EQ(t.discipline.readable_bytes(), 3u);
    EXPECT_EQ(t.read_bytes(), std::string("ab\0", 3));
}

TEST(NonCanonicalInput, SwitchingToCanonicalMakesPendingBytesOneLine) {
    Terminal t;
    t.make_raw();
    t.type("abc");
    t.change(&Termios::local_flags, ICANON);
    ASSERT_TRUE(t.discipline.has_input());
    EXPECT_EQ(t.read_line(), "abc");
    EXPECT_FALSE(t.discipline.has_input());
}

TEST(NonCanonicalInput, PollWaitsForVminBytesWhenVtimeIsZero) {
    Terminal t;
    t.make_raw(3, 0);
    t.type("ab");
    EXPECT_TRUE(t.discipline.has_input());
    EXPECT_FALSE(t.discipline.poll_readable());  // Linux's input_available_p
    t.type("c");
    EXPECT_TRUE(t.discipline.poll_readable());
    Terminal timed;
    timed.make_raw(3, 5);
    timed.type("a");
    EXPECT_TRUE(timed.discipline.poll_readable());
}

TEST(NonCanonicalInput, TheBufferHoldsBufferSizeBytesAndDropsTheRest) {
    Terminal t;
    t.make_raw();
    t.type(std::string(LineDiscipline::BUFFER_SIZE + 10, 'z'));
    EXPECT_EQ(t.discipline.readable_bytes(), LineDiscipline::BUFFER_SIZE);
}

// ---- flushing ----------------------------------------------------------------

TEST(Flushing, FlushInputThrowsAwayFinishedAndEditedInput) {
    Terminal t;
    t.type("one\ntw");
    t.discipline.flush_input();
    EXPECT_FALSE(t.discipline.has_input());
    t.type("o\n");
    EXPECT_EQ(t.read_line(), "o\n");
}

TEST(Flushing, FlushInNonCanonicalMode) {
    Terminal t;
    t.make_raw();
    t.type("xyz");
    t.discipline.flush_input();
    EXPECT_EQ(t.discipline.readable_bytes(), 0u);
}

// ---- output processing -----------------------------------------------------

TEST(OutputProcessing, OnlcrSendsNewlineAsReturnNewline) {
    Terminal t;
    t.discipline.write_output("a\nb\n", 4);
    EXPECT_EQ(t.screen, "a\r\nb\r\n");
}

TEST(OutputProcessing, WithoutOpostBytesGoOutRaw) {
    Terminal t;
    t.change(&Termios::output_flags, 0, OPOST);
    t.discipline.write_output("a\nb\r\x01", 5);
    EXPECT_EQ(t.screen, "a\nb\r\x01");
}

TEST(OutputProcessing, WithoutOnlcrNewlineStaysNewline) {
    Terminal t;
    t.change(&Termios::output_flags, 0, ONLCR);
    t.discipline.write_output("a\n", 2);
    EXPECT_EQ(t.screen, "a\n");
}

TEST(OutputProcessing, OcrnlSendsReturnAsNewline) {
    Terminal t;
    t.change(&Termios::output_flags, OCRNL, ONLCR);
    t.discipline.write_output("a\rb", 3);
    EXPECT_EQ(t.screen, "a\nb");
}

TEST(OutputProcessing, OnocrDropsAReturnAtColumnZero) {
    Terminal t;
    t.change(&Termios::output_flags, ONOCR);
    t.discipline.write_output("\rab\r\r", 5);
    EXPECT_EQ(t.screen, "ab\r");
}

TEST(OutputProcessing, OnlretMakesNewlineReturnTheCarriageForOnocr) {
    Terminal t;
    t.change(&Termios::output_flags, ONLRET | ONOCR, ONLCR);
    t.discipline.write_output("ab\n\r", 4);
    EXPECT_EQ(t.screen, "ab\n");
}

TEST(OutputProcessing, EchoGoesThroughTheSameProcessing) {
    Terminal t;
    t.change(&Termios::output_flags, 0, OPOST);
    t.type("a\n");
    EXPECT_EQ(t.screen, "a\n");
}

TEST(OutputProcessing, ALongTextIsProcessedWhole) {
    Terminal t;
    std::string text;
    for (int i = 0; i < 500; ++i) text += "line\n";
    t.discipline.write_output(text.data(), text.size());
    std::string expected;
    for (int i = 0; i < 500; ++i) expected += "line\r\n";
    EXPECT_EQ(t.screen, expected);
}

TEST(OutputProcessing, TheColumnFollowsTabsBackspacesAndReturns) {
    std::string ignored;
    OutputProcessor output([](const char*, size_t, void*) {}, &ignored);
    output.set_flags(OPOST | ONLCR, 0);
    output.process("ab\t", 3);
    EXPECT_EQ(output.column(), 8u);
    output.process("x\b\b", 3);
    EXPECT_EQ(output.column(), 7u);
    output.process("\r", 1);
    EXPECT_EQ(output.column(), 0u);
    output.set_flags(OPOST, IUTF8);
    output.process("\xc3\xa9", 2);
    EXPECT_EQ(output.column(), 1u);
}

// ---- VMIN and VTIME ------------------------------------------------------

TEST(ReadTiming, MinWithoutTimeBlocksUntilMinBytes) {
    NonCanonicalReadRule rule = noncanonical_read_rule(3, 0, 100);
    EXPECT_EQ(next_read_step(rule, 0, false), ReadStep::Wait);
    EXPECT_EQ(next_read_step(rule, 2, false), ReadStep::Wait);
    EXPECT_EQ(next_read_step(rule, 3, false), ReadStep::Done);
}

TEST(ReadTiming, MinIsCappedByTheReadersBuffer) {
    NonCanonicalReadRule rule = noncanonical_read_rule(10, 0, 4);
    EXPECT_EQ(next_read_step(rule, 3, false), ReadStep::Wait);
    EXPECT_EQ(next_read_step(rule, 4, false), ReadStep::Done);
}

TEST(ReadTiming, TimeWithoutMinIsATimeoutForTheFirstByte) {
    NonCanonicalReadRule rule = noncanonical_read_rule(0, 5, 100);
    EXPECT_EQ(rule.timeout_ms, 500u);
    EXPECT_FALSE(rule.timer_after_first_byte);
    EXPECT_EQ(next_read_step(rule, 0, false), ReadStep::WaitUntilTimer);
    EXPECT_EQ(next_read_step(rule, 0, true), ReadStep::Done);  // read() returns 0
    EXPECT_EQ(next_read_step(rule, 1, false), ReadStep::Done);
}

TEST(ReadTiming, MinAndTimeMakeAnInterByteTimer) {
    NonCanonicalReadRule rule = noncanonical_read_rule(4, 2, 100);
    EXPECT_TRUE(rule.timer_after_first_byte);
    EXPECT_EQ(next_read_step(rule, 0, true), ReadStep::Wait);  // no timer before the first byte
    EXPECT_EQ(next_read_step(rule, 1, false), ReadStep::WaitUntilTimer);
    EXPECT_EQ(next_read_step(rule, 2, true), ReadStep::Done);
    EXPECT_EQ(next_read_step(rule, 4, false), ReadStep::Done);
}

TEST(ReadTiming, NeitherMinNorTimeReturnsAtOnce) {
    NonCanonicalReadRule rule = noncanonical_read_rule(0, 0, 100);
    EXPECT_EQ(next_read_step(rule, 0, false), ReadStep::Done);
    EXPECT_EQ(next_read_step(rule, 5, false), ReadStep::Done);
}

}  // namespace
