// tests/host/command_line_test.cpp -- boot parameters as GRUB and QEMU pass them.
#include <gtest/gtest.h>

#include <string>

#include "kernel/command_line.h"

TEST(CommandLine, SplitsSettingsAndFlags) {
    CommandLine line;
    line.parse("init=/bin/sh quiet iosched=deadline");
    EXPECT_STREQ(line.get("init"), "/bin/sh");
    EXPECT_STREQ(line.get("iosched"), "deadline");
    EXPECT_STREQ(line.get("quiet"), "");
    EXPECT_TRUE(line.has("quiet"));
    EXPECT_EQ(line.get("missing"), nullptr);
    EXPECT_STREQ(line.get_or("missing", "fallback"), "fallback");
    EXPECT_EQ(line.count(), 3u);
}

TEST(CommandLine, SkipsTheKernelPathThatBootLoadersPutFirst) {
    CommandLine line;
    line.parse("/boot/kernel.elf quiet");
    EXPECT_EQ(line.count(), 1u);
    EXPECT_TRUE(line.has("quiet"));
    EXPECT_FALSE(line.has("/boot/kernel.elf"));
}

TEST(CommandLine, KeepsAFirstSettingWhoseValueHasASlash) {
    CommandLine line;
    line.parse("init=/bin/sh");
    EXPECT_STREQ(line.get("init"), "/bin/sh");
}

TEST(CommandLine, TheLastOccurrenceWins) {
    CommandLine line;
    line.parse("iosched=noop iosched=elevator");
    EXPECT_STREQ(line.get("iosched"), "elevator");
}

TEST(CommandLine, ToleratesRunsOfSpacesTabsAndAnEmptyLine) {
    CommandLine line;
    line.parse("   a=1 \t\t b   ");
    EXPECT_STREQ(line.get("a"), "1");
    EXPECT_TRUE(line.has("b"));
    line.parse("");
    EXPECT_EQ(line.count(), 0u);
}

TEST(CommandLine, EmptyValueAndValueWithEquals) {
    CommandLine line;
    line.parse("root= opts=a=b");
    EXPECT_STREQ(line.get("root"), "");
    EXPECT_STREQ(line.get("opts"), "a=b");
}

TEST(CommandLine, StopsAtTheParameterLimitWithoutOverflowing) {
    std::string text;
    for (int i = 0; i < 100; ++i) text += "k" + std::to_string(i) + "=v ";
    CommandLine line;
    line.parse(text.c_str());
    EXPECT_EQ(line.count(), CommandLine::MAX_PARAMETERS);
    EXPECT_STREQ(line.get("k0"), "v");
    EXPECT_EQ(line.get("k99"), nullptr);
}

TEST(CommandLine, TruncatesAnOverlongLineSafely) {
    std::string text = "a=" + std::string(2000, 'x');
    CommandLine line;
    line.parse(text.c_str());
    ASSERT_TRUE(line.has("a"));
    EXPECT_EQ(std::string(line.get("a")).size(), CommandLine::MAX_TEXT - 3);
}

TEST(CommandLine, WordsAfterTheSeparatorAreArgumentsForTheFirstProgram) {
    CommandLine line;
    line.parse("/boot/kernel.elf quiet init=/bin/sh -- /etc/script /dev/vda x=1");
    EXPECT_STREQ(line.get("init"), "/bin/sh");
    EXPECT_EQ(line.count(), 2u);
    ASSERT_EQ(line.init_argument_count(), 3u);
    EXPECT_STREQ(line.init_argument_at(0), "/etc/script");
    EXPECT_STREQ(line.init_argument_at(1), "/dev/vda");
    EXPECT_STREQ(line.init_argument_at(2), "x=1");
    EXPECT_FALSE(line.has("x"));
    line.parse("quiet");
    EXPECT_EQ(line.init_argument_count(), 0u);
}

TEST(CommandLine, KeepsNoMoreInitArgumentsThanItHasRoomFor) {
    std::string text = "init=/bin/sh --";
    for (int i = 0; i < 20; ++i) text += " a" + std::to_string(i);
    CommandLine line;
    line.parse(text.c_str());
    EXPECT_EQ(line.init_argument_count(), CommandLine::MAX_INIT_ARGUMENTS);
    EXPECT_STREQ(line.init_argument_at(0), "a0");
}
