// tests/host/line_discipline_test.cpp -- canonical terminal input, as a user
// types it: editing keys, records, end of file and interrupts.
#include <gtest/gtest.h>

#include <string>

#include "drivers/console/line_discipline.h"

namespace {

struct Terminal {
    std::string echoed;
    LineDiscipline discipline{[](const char* text, size_t length, void* self) {
                                  static_cast<Terminal*>(self)->echoed.append(text, length);
                              },
                              this};

    LineDiscipline::Event type(const std::string& keys) {
        LineDiscipline::Event last = LineDiscipline::Event::None;
        for (char c : keys) last = discipline.receive(c);
        return last;
    }
    std::string read(size_t size = 4096) {
        std::string buffer(size, '\0');
        buffer.resize(discipline.read(buffer.data(), size));
        return buffer;
    }
};

TEST(LineDiscipline, EnterMakesTheLineReadableWithItsNewline) {
    Terminal t;
    EXPECT_EQ(t.type("ls -l"), LineDiscipline::Event::None);
    EXPECT_FALSE(t.discipline.has_record());
    EXPECT_EQ(t.type("\r"), LineDiscipline::Event::InputReady);
    ASSERT_TRUE(t.discipline.has_record());
    EXPECT_EQ(t.read(), "ls -l\n");
    EXPECT_FALSE(t.discipline.has_record());
    EXPECT_EQ(t.echoed, "ls -l\n");
}

TEST(LineDiscipline, BackspaceAndDeleteEraseOneCharacterEach) {
    Terminal t;
    t.type("cattt\x7f\b x\n");
    EXPECT_EQ(t.read(), "cat x\n");
    EXPECT_NE(t.echoed.find("\b \b"), std::string::npos);
}

TEST(LineDiscipline, BackspaceOnAnEmptyLineDoesNothing) {
    Terminal t;
    t.type("\x7f\x7f" "a\n");
    EXPECT_EQ(t.read(), "a\n");
    EXPECT_EQ(t.echoed, "a\n");
}

TEST(LineDiscipline, ControlUErasesTheWholeLine) {
    Terminal t;
    t.type("rm -rf /\x15" "echo hi\n");
    EXPECT_EQ(t.read(), "echo hi\n");
}

TEST(LineDiscipline, ControlCDiscardsTheLineAndReportsAnInterrupt) {
    Terminal t;
    EXPECT_EQ(t.type("sleep 100\x03"), LineDiscipline::Event::Interrupt);
    EXPECT_FALSE(t.discipline.has_record());
    EXPECT_NE(t.echoed.find("^C\n"), std::string::npos);
    t.type("ok\n");
    EXPECT_EQ(t.read(), "ok\n");
}

TEST(LineDiscipline, ControlDOnAnEmptyLineIsAnEndOfFileRecord) {
    Terminal t;
    EXPECT_EQ(t.type("\x04"), LineDiscipline::Event::InputReady);
    ASSERT_TRUE(t.discipline.has_record());
    EXPECT_EQ(t.read(), "");
    EXPECT_FALSE(t.discipline.has_record());
}

TEST(LineDiscipline, ControlDAfterTextEndsTheLineWithoutNewline) {
    Terminal t;
    t.type("partial\x04");
    EXPECT_EQ(t.read(), "partial");
}

TEST(LineDiscipline, RecordsAreReadOneAtATimeInOrder) {
    Terminal t;
    t.type("one\ntwo\n\x04three\n");
    EXPECT_EQ(t.read(), "one\n");
    EXPECT_EQ(t.read(), "two\n");
    EXPECT_EQ(t.read(), "");  // the end of file sits between them
    EXPECT_EQ(t.read(), "three\n");
}

TEST(LineDiscipline, ALongRecordIsReadInPiecesWithoutMixingLines) {
    Terminal t;
    t.type("abcdefghij\nnext\n");
    EXPECT_EQ(t.read(4), "abcd");
    EXPECT_EQ(t.read(4), "efgh");
    EXPECT_EQ(t.read(4), "ij\n");
    EXPECT_EQ(t.read(4), "next");
    EXPECT_EQ(t.read(4), "\n");
}

TEST(LineDiscipline, EscapeSequencesFromArrowKeysAreDropped) {
    Terminal t;
    t.type("ab\x1b[Dc\x1bOA\x1b[3~d\n");
    EXPECT_EQ(t.read(), "abcd\n");
}

TEST(LineDiscipline, OtherControlCharactersAreIgnoredButTabIsKept) {
    Terminal t;
    t.type("a\x01\x02\tb\n");
    EXPECT_EQ(t.read(), "a\tb\n");
}

TEST(LineDiscipline, AnOverlongLineIsCutAtTheLimitAndStillEnds) {
    Terminal t;
    t.type(std::string(LineDiscipline::MAX_LINE + 100, 'x') + "\n");
    std::string line = t.read(LineDiscipline::MAX_LINE + 200);
    EXPECT_EQ(line.size(), LineDiscipline::MAX_LINE);
    EXPECT_EQ(line.back(), '\n');
}

TEST(LineDiscipline, WhenReadersFallBehindInputWaitsInsteadOfTearingRecords) {
    Terminal t;
    // 64 records fill the record ring; the 65th line stays in editing.
    for (int i = 0; i < 64; ++i) t.type("r\n");
    t.type("late\n");
    for (int i = 0; i < 64; ++i) ASSERT_EQ(t.read(), "r\n");
    EXPECT_FALSE(t.discipline.has_record());
    t.type("\n");  // Enter again: the waiting text becomes a record now
    EXPECT_EQ(t.read(), "late\n");
}

}  // namespace
