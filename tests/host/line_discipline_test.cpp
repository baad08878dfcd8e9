// tests/host/line_discipline_test.cpp -- canonical terminal input, as a user
// types it on a terminal with a fresh Linux console's settings: editing
// keys, the echo flags, lines, end of file and the line limit. The
// expected echo is what Linux's n_tty sends for the same keys (checked on a
// pseudo-terminal; line_discipline_linux_test.cpp compares live).
#include <gtest/gtest.h>

#include <string>

#include "drivers/console/line_discipline.h"

namespace {

using namespace termios_flags;

struct Terminal {
    std::string screen;  // everything echoed, after output processing
    LineDiscipline discipline{[](const char* text, size_t length, void* self) {
                                  static_cast<Terminal*>(self)->screen.append(text, length);
                              },
                              this};

    LineDiscipline::Event type(const std::string& keys) {
        LineDiscipline::Event last = LineDiscipline::Event::None;
        for (char c : keys) last = discipline.receive(c);
        return last;
    }
    std::string read(size_t size = 8192) {
        std::string buffer(size, '\0');
        buffer.resize(discipline.read_canonical(buffer.data(), size).count);
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
};

TEST(CanonicalInput, EnterMakesTheLineReadableWithItsNewline) {
    Terminal t;
    EXPECT_EQ(t.type("ls -l"), LineDiscipline::Event::None);
    EXPECT_FALSE(t.discipline.has_input());
    EXPECT_EQ(t.type("\r"), LineDiscipline::Event::InputReady);  // ICRNL
    ASSERT_TRUE(t.discipline.has_input());
    EXPECT_EQ(t.read(), "ls -l\n");
    EXPECT_FALSE(t.discipline.has_input());
    EXPECT_EQ(t.screen, "ls -l\r\n");  // ONLCR on the echo
}

TEST(CanonicalInput, EraseRemovesOneCharacterAndEchoesBackspaceSpaceBackspace) {
    Terminal t;
    t.type("cattt\x7f\x7f x\n");
    EXPECT_EQ(t.read(), "cat x\n");
    EXPECT_EQ(t.screen, "cattt\b \b\b \b x\r\n");
}

TEST(CanonicalInput, BackspaceIsNotTheEraseKeyButAControlCharacter) {
    Terminal t;  // VERASE is DEL; ^H is data, echoed ^H and erased as two columns
    t.type("a\b\x7f" "b\n");
    EXPECT_EQ(t.read(), "ab\n");
    EXPECT_EQ(t.screen, "a^H\b \b\b \bb\r\n");
}

TEST(CanonicalInput, EraseOnAnEmptyLineDoesNothing) {
    Terminal t;
    t.type("\x7f\x7f" "a\n");
    EXPECT_EQ(t.read(), "a\n");
    EXPECT_EQ(t.screen, "a\r\n");
}

TEST(CanonicalInput, EraseWithoutEchoeShowsTheEraseKey) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ECHOE);
    t.type("ab\x7f\n");
    EXPECT_EQ(t.read(), "a\n");
    EXPECT_EQ(t.screen, "ab^?\r\n");
}

TEST(CanonicalInput, ErasingATabBacksUpToWhereTheTabStarted) {
    Terminal t;
    t.type("ab\tc\x7f\x7f\x7f" "d\n");
    EXPECT_EQ(t.read(), "ad\n");
    EXPECT_EQ(t.screen, "ab\tc\b \b" + std::string(6, '\b') + "\b \bd\r\n");
}

TEST(CanonicalInput, ErasingTakesAWholeUtf8CharacterWithIutf8) {
    Terminal t;
    t.change(&Termios::input_flags, IUTF8);
    t.type("a\xc3\xa9\x7f" "b\n");  // "aé", erase, "b"
    EXPECT_EQ(t.read(), "ab\n");
    EXPECT_EQ(t.screen, "a\xc3\xa9\b \bb\r\n");
}

TEST(CanonicalInput, WithoutIutf8EraseTakesOneByte) {
    Terminal t;
    t.type("a\xc3\xa9\x7f\n");
    EXPECT_EQ(t.read(), "a\xc3\n");
}

TEST(CanonicalInput, KillWithEchokeErasesTheLineOnTheScreen) {
    Terminal t;
    t.type("abc\x15" "d\n");
    EXPECT_EQ(t.read(), "d\n");
    EXPECT_EQ(t.screen, "abc\b \b\b \b\b \bd\r\n");
}

TEST(CanonicalInput, KillWithEchokButNotEchokeShowsTheKeyAndANewLine) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ECHOKE);
    t.type("abc\x15" "d\n");
    EXPECT_EQ(t.read(), "d\n");
    EXPECT_EQ(t.screen, "abc^U\r\nd\r\n");
}

TEST(CanonicalInput, KillWithoutEchokShowsOnlyTheKey) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ECHOK | ECHOKE);
    t.type("abc\x15" "d\n");
    EXPECT_EQ(t.read(), "d\n");
    EXPECT_EQ(t.screen, "abc^Ud\r\n");
}

TEST(CanonicalInput, WordEraseTakesTheLastWordAndTheBlanksAfterIt) {
    Terminal t;
    t.type("foo bar  \x17x\n");
    EXPECT_EQ(t.read(), "foo x\n");
    Terminal u;
    u.type("foo bar\x17\x17x\n");
    EXPECT_EQ(u.read(), "x\n");
    std::string seven_erased;
    for (int i = 0; i < 7; ++i) seven_erased += "\b \b";
    EXPECT_EQ(u.screen, "foo bar" + seven_erased + "x\r\n");
}

TEST(CanonicalInput, WordEraseAndLiteralNextAndReprintNeedIexten) {
    Terminal t;
    t.change(&Termios::local_flags, 0, IEXTEN);
    t.type("a b\x17\x16\x12\n");
    EXPECT_EQ(t.read(), "a b\x17\x16\x12\n");
}

TEST(CanonicalInput, ReprintShowsTheLineAgainOnANewLine) {
    Terminal t;
    t.type("ab\x12" "c\n");
    EXPECT_EQ(t.read(), "abc\n");
    EXPECT_EQ(t.screen, "ab^R\r\nabc\r\n");
}

TEST(CanonicalInput, LiteralNextTakesTheNextKeyAsData) {
    Terminal t;
    EXPECT_EQ(t.type("a\x16\x03"), LineDiscipline::Event::None);  // no SIGINT
    t.type("\x16\x7f\x16\x15" "b\n");
    EXPECT_EQ(t.read(), "a\x03\x7f\x15" "b\n");
    EXPECT_EQ(t.screen, "a^\b^C^\b^?^\b^Ub\r\n");
}

TEST(CanonicalInput, ControlCharactersEchoAsCaretLetterWithEchoctl) {
    Terminal t;
    t.type("a\x01\x1b[A\n");
    EXPECT_EQ(t.read(), "a\x01\x1b[A\n");  // escape sequences reach the reader, as on Linux
    EXPECT_EQ(t.screen, "a^A^[[A\r\n");
}

TEST(CanonicalInput, ControlCharactersEchoRawWithoutEchoctl) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ECHOCTL);
    t.type("a\x01\x7f\tb\n");
    EXPECT_EQ(t.read(), "a\tb\n");
    EXPECT_EQ(t.screen, "a\x01\tb\r\n");  // ^A erased without a trace: it took no column
}

TEST(CanonicalInput, NoEchoStillEditsButShowsNothing) {
    Terminal t;
    t.change(&Termios::local_flags, 0, ECHO);
    t.type("secret\x7fT\n");
    EXPECT_EQ(t.read(), "secreT\n");
    EXPECT_EQ(t.screen, "");
}

TEST(CanonicalInput, EchonlShowsTheNewlineEvenWithoutEcho) {
    Terminal t;
    t.change(&Termios::local_flags, ECHONL, ECHO);
    t.type("pw\n");
    EXPECT_EQ(t.read(), "pw\n");
    EXPECT_EQ(t.screen, "\r\n");
}

TEST(CanonicalInput, EofOnAnEmptyLineIsEndOfFile) {
    Terminal t;
    EXPECT_EQ(t.type("\x04"), LineDiscipline::Event::InputReady);
    ASSERT_TRUE(t.discipline.has_input());
    char byte;
    LineDiscipline::CanonicalRead got = t.discipline.read_canonical(&byte, 1);
    EXPECT_EQ(got.count, 0u);
    EXPECT_TRUE(got.end_of_file);
    EXPECT_FALSE(t.discipline.has_input());
    EXPECT_EQ(t.screen, "");  // VEOF is not echoed
}

TEST(CanonicalInput, EofInTheMiddleOfALineEndsItWithoutNewline) {
    Terminal t;
    t.type("ab\x04" "cd\n");
    EXPECT_EQ(t.read(), "ab");
    EXPECT_EQ(t.read(), "cd\n");
    EXPECT_EQ(t.screen, "abcd\r\n");
}

TEST(CanonicalInput, TheEofAfterALineReadInPiecesIsNoEndOfFile) {
    Terminal t;
    t.type("abc\x04");
    char buffer[3];
    EXPECT_EQ(t.discipline.read_canonical(buffer, 3).count, 3u);
    LineDiscipline::CanonicalRead rest = t.discipline.read_canonical(buffer, 3);
    EXPECT_EQ(rest.count, 0u);
    EXPECT_FALSE(rest.end_of_file);  // the reader waits on, not a 0 from read()
    EXPECT_FALSE(t.discipline.has_input());
}

TEST(CanonicalInput, EolAndEol2AlsoEndALineAndAreRead) {
    Terminal t;
    t.set_key(VEOL, ';');
    t.set_key(VEOL2, '|');
    t.type("a;b|");
    EXPECT_EQ(t.read(), "a;");
    EXPECT_EQ(t.read(), "b|");
    EXPECT_EQ(t.screen, "a;b|");
}

TEST(CanonicalInput, ADisabledKeyMatchesNothingNotEvenNul) {
    Terminal t;
    t.set_key(VERASE, DISABLED_CHARACTER);
    t.type(std::string("a\0\x7f\n", 4));
    EXPECT_EQ(t.read(), std::string("a\0\x7f\n", 4));
}

TEST(CanonicalInput, LinesAreReadOneAtATimeInOrder) {
    Terminal t;
    t.type("one\ntwo\n\x04three\n");
    EXPECT_EQ(t.read(), "one\n");
    EXPECT_EQ(t.read(), "two\n");
    EXPECT_EQ(t.read(), "");  // the end of file sits between them
    EXPECT_EQ(t.read(), "three\n");
}

TEST(CanonicalInput, ALongLineIsReadInPiecesWithoutMixingLines) {
    Terminal t;
    t.type("abcdefghij\nnext\n");
    EXPECT_EQ(t.read(4), "abcd");
    EXPECT_EQ(t.read(4), "efgh");
    EXPECT_EQ(t.read(4), "ij\n");
    EXPECT_EQ(t.read(4), "next");
    EXPECT_EQ(t.read(4), "\n");
}

TEST(CanonicalInput, ALineLongerThanTheLimitKeepsMaxLineCharactersAndItsNewline) {
    Terminal t;
    t.type(std::string(LineDiscipline::MAX_LINE + 100, 'x') + "\n");
    EXPECT_EQ(t.screen.size(), LineDiscipline::MAX_LINE + 102);  // all of it echoed, as Linux does
    std::string line = t.read();
    EXPECT_EQ(line.size(), LineDiscipline::MAX_LINE + 1);  // 4096 bytes, like Linux
    EXPECT_EQ(line.back(), '\n');
    EXPECT_EQ(line.find_first_not_of('x'), LineDiscipline::MAX_LINE);
}

TEST(CanonicalInput, WhenReadersFallBehindFurtherInputIsDroppedWithoutTearingLines) {
    Terminal t;
    for (int i = 0; i < 2048; ++i) t.type("r\n");  // 4096 bytes: the buffer is full
    t.type("late\n");
    for (int i = 0; i < 2048; ++i) ASSERT_EQ(t.read(), "r\n");
    EXPECT_FALSE(t.discipline.has_input());
    t.type("next\n");
    EXPECT_EQ(t.read(), "next\n");
}

TEST(CanonicalInput, FionreadCountsTheFinishedLinesOnly) {
    Terminal t;
    t.type("ab\n\x04" "cd\x04" "unfinished");
    EXPECT_EQ(t.discipline.readable_bytes(), 5u);  // "ab\n" and "cd", no VEOF marks
    t.read();
    EXPECT_EQ(t.discipline.readable_bytes(), 2u);
}

}  // namespace
