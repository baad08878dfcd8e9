/*
 * tests/host/klib_test.cpp — host unit tests for klib (kernel/lib).
 *
 * What is tested: errno names and messages against glibc, Result/TRY, the string
 * routines against the host C library and format() against the host snprintf.
 * The containers (list, hash table, ring buffer) are in klib_containers_test.cpp.
 *
 * The klib functions live in namespace klib and are always called qualified, so a
 * test can never silently exercise libc's version instead of ours.
 */
#include <gtest/gtest.h>

#include <algorithm>
#include <climits>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <sys/types.h>

#include "kernel/lib/errno.h"
#include "kernel/lib/format.h"
#include "kernel/lib/hash_table.h"
#include "kernel/lib/list.h"
#include "kernel/lib/result.h"
#include "kernel/lib/ring_buffer.h"
#include "kernel/lib/string.h"

namespace {

// ---------------------------------------------------------------------------- errno

TEST(Errno, NumbersAreLinuxNumbers)
{
    EXPECT_EQ(EPERM, 1);
    EXPECT_EQ(ENOENT, 2);
    EXPECT_EQ(ENAMETOOLONG, 36);
    EXPECT_EQ(ENOSYS, 38);
    EXPECT_EQ(ENOTEMPTY, 39);
    EXPECT_EQ(ELOOP, 40);
    EXPECT_EQ(EOVERFLOW, 75);
    EXPECT_EQ(EOPNOTSUPP, 95);
    EXPECT_EQ(ENOTSUP, 95);
    EXPECT_EQ(ETIMEDOUT, 110);
    EXPECT_EQ(EHWPOISON, KERNEL_ERRNO_MAX);
}

TEST(Errno, NamesAndMessagesMatchGlibc)
{
    for (int code = 1; code <= KERNEL_ERRNO_MAX; ++code) {
        if (code == 41 || code == 58)
            continue; // holes in Linux's table
        EXPECT_STREQ(errno_message(code), strerror(code)) << "code " << code;
        EXPECT_EQ(errno_name(code)[0], 'E') << "code " << code;
        EXPECT_STRNE(errno_name(code), "E?") << "code " << code;
    }
    EXPECT_STREQ(errno_name(ENOENT), "ENOENT");
    EXPECT_STREQ(errno_name(EAGAIN), "EAGAIN");
    EXPECT_STREQ(errno_name(ENOTSUP), "EOPNOTSUPP");
}

TEST(Errno, UnknownNumbersGetPlaceholders)
{
    for (int code : {0, -1, 41, 58, KERNEL_ERRNO_MAX + 1, 100000}) {
        EXPECT_STREQ(errno_name(code), "E?");
        EXPECT_STREQ(errno_message(code), "Unknown error");
    }
}

// ------------------------------------------------------------------- Result and TRY

Result<int> parse_digit(char c)
{
    if (c < '0' || c > '9')
        return Error{EINVAL};
    return c - '0';
}

Result<int> add_digits(char a, char b)
{
    int first = TRY(parse_digit(a));
    int second = TRY(parse_digit(b));
    return first + second;
}

Result<void> check_positive(int value)
{
    if (value <= 0)
        return Error{ERANGE};
    return {};
}

Result<int> double_if_positive(int value)
{
    TRY(check_positive(value));
    return value * 2;
}

// A move-only owner that counts live instances, to catch double destruction or leaks.
struct UniqueOwner {
    static inline int live = 0;
    int* payload;

    explicit UniqueOwner(int value) : payload(new int(value)) { ++live; }
    UniqueOwner(UniqueOwner&& other) : payload(other.payload)
    {
        other.payload = nullptr;
        ++live;
    }
    UniqueOwner(const UniqueOwner&) = delete;
    ~UniqueOwner()
    {
        delete payload;
        --live;
    }
};

Result<UniqueOwner> make_owner(int value)
{
    if (value < 0)
        return Error{ENOMEM};
    return UniqueOwner(value);
}

Result<int> owner_value_plus_one(int value)
{
    UniqueOwner owner = TRY(make_owner(value));
    return *owner.payload + 1;
}

TEST(Result, TryPassesTheValueThrough)
{
    Result<int> sum = add_digits('3', '4');
    ASSERT_FALSE(sum.is_error());
    EXPECT_EQ(sum.value(), 7);
}

TEST(Result, TryPropagatesTheFirstError)
{
    Result<int> sum = add_digits('3', 'x');
    ASSERT_TRUE(sum.is_error());
    EXPECT_EQ(sum.error(), EINVAL);
}

TEST(Result, VoidResultWorksWithTry)
{
    EXPECT_FALSE(check_positive(1).is_error());
    Result<int> doubled = double_if_positive(21);
    ASSERT_FALSE(doubled.is_error());
    EXPECT_EQ(doubled.value(), 42);
    Result<int> refused = double_if_positive(-1);
    ASSERT_TRUE(refused.is_error());
    EXPECT_EQ(refused.error(), ERANGE);
}

TEST(Result, MoveOnlyValuesAreMovedNotCopiedAndDestroyedOnce)
{
    UniqueOwner::live = 0;
    {
        Result<int> plus_one = owner_value_plus_one(9);
        ASSERT_FALSE(plus_one.is_error());
        EXPECT_EQ(plus_one.value(), 10);
        EXPECT_EQ(owner_value_plus_one(-1).error(), ENOMEM);

        Result<UniqueOwner> held = make_owner(5);
        Result<UniqueOwner> moved = std::move(held);
        UniqueOwner taken = moved.release_value();
        EXPECT_EQ(*taken.payload, 5);
        EXPECT_EQ(moved.value().payload, nullptr);
    }
    EXPECT_EQ(UniqueOwner::live, 0);
}

TEST(Result, ErrorResultNeverConstructsTheValue)
{
    UniqueOwner::live = 0;
    {
        Result<UniqueOwner> failed = Error{EIO};
        Result<UniqueOwner> moved = std::move(failed);
        EXPECT_TRUE(moved.is_error());
        EXPECT_EQ(UniqueOwner::live, 0);
    }
    EXPECT_EQ(UniqueOwner::live, 0);
}

TEST(Result, CopyAndAssignmentKeepTheRightAlternative)
{
    Result<std::string> text = std::string("kernel");
    Result<std::string> copy = text;
    EXPECT_EQ(copy.value(), "kernel");
    copy = Result<std::string>(Error{EBUSY});
    EXPECT_EQ(copy.error(), EBUSY);
    copy = text;
    EXPECT_EQ(copy.value(), "kernel");
    static_assert(!std::is_copy_constructible_v<Result<UniqueOwner>>);
}

TEST(ResultDeathTest, AskingAFailureForItsValueTraps)
{
    Result<int> failed = Error{EIO};
    EXPECT_DEATH((void)failed.value(), "");
}

// --------------------------------------------------------------------------- string

// Buffers filled with a position-dependent pattern, so a wrong offset shows.
std::vector<unsigned char> patterned(size_t size, unsigned seed)
{
    std::vector<unsigned char> bytes(size);
    for (size_t i = 0; i < size; ++i)
        bytes[i] = static_cast<unsigned char>(i * 7 + seed * 13 + 1);
    return bytes;
}

TEST(String, MemcpyMatchesLibcForAllSmallOffsetsAndSizes)
{
    for (size_t source_offset = 0; source_offset < 16; ++source_offset) {
        for (size_t destination_offset = 0; destination_offset < 16; ++destination_offset) {
            for (size_t size = 0; size < 80; size += (size < 20 ? 1 : 7)) {
                auto source = patterned(128, 1);
                auto ours = patterned(128, 2);
                auto theirs = ours;
                void* returned = klib::memcpy(ours.data() + destination_offset,
                                              source.data() + source_offset, size);
                memcpy(theirs.data() + destination_offset, source.data() + source_offset, size);
                ASSERT_EQ(returned, ours.data() + destination_offset);
                ASSERT_EQ(ours, theirs) << source_offset << " " << destination_offset << " " << size;
            }
        }
    }
}

TEST(String, MemmoveHandlesOverlapInBothDirections)
{
    for (size_t from = 0; from < 24; ++from) {
        for (size_t to = 0; to < 24; ++to) {
            for (size_t size = 0; size < 70; size += (size < 20 ? 1 : 5)) {
                auto ours = patterned(128, 3);
                auto theirs = ours;
                void* returned = klib::memmove(ours.data() + to, ours.data() + from, size);
                memmove(theirs.data() + to, theirs.data() + from, size);
                ASSERT_EQ(returned, ours.data() + to);
                ASSERT_EQ(ours, theirs) << "from " << from << " to " << to << " size " << size;
            }
        }
    }
}

TEST(String, MemsetMatchesLibcForAllSmallOffsetsAndSizes)
{
    for (size_t offset = 0; offset < 16; ++offset) {
        for (size_t size = 0; size < 90; ++size) {
            for (int value : {0, 0xA5, 0x1FF, -1}) {
                auto ours = patterned(128, 4);
                auto theirs = ours;
                void* returned = klib::memset(ours.data() + offset, value, size);
                memset(theirs.data() + offset, value, size);
                ASSERT_EQ(returned, ours.data() + offset);
                ASSERT_EQ(ours, theirs) << offset << " " << size << " " << value;
            }
        }
    }
}

int sign_of(int value) { return (value > 0) - (value < 0); }

TEST(String, MemcmpOrdersLikeLibcIncludingHighBytes)
{
    std::mt19937 random(7);
    for (int round = 0; round < 2000; ++round) {
        size_t size = random() % 40;
        auto left = patterned(40, 5);
        auto right = left;
        if (size > 0 && random() % 4 != 0)
            right[random() % size] = static_cast<unsigned char>(random());
        ASSERT_EQ(sign_of(klib::memcmp(left.data(), right.data(), size)),
                  sign_of(memcmp(left.data(), right.data(), size)));
    }
}

const char* const kSampleStrings[] = {
    "", "a", "b", "ab", "abc", "abd", "abcd", "hello world", "hello", "hellp",
    "\x80", "\xff" "abc", "a\x80", "/mnt/ata/a.txt", "/mnt/virtio/", "zzzzzzzzzzzzzzzzzzzzzzzzzz",
};

TEST(String, LengthsMatchLibc)
{
    for (const char* string : kSampleStrings) {
        EXPECT_EQ(klib::strlen(string), strlen(string)) << string;
        for (size_t limit = 0; limit < 30; ++limit)
            EXPECT_EQ(klib::strnlen(string, limit), strnlen(string, limit)) << string;
    }
}

TEST(String, ComparisonsMatchLibcInSign)
{
    for (const char* left : kSampleStrings) {
        for (const char* right : kSampleStrings) {
            EXPECT_EQ(sign_of(klib::strcmp(left, right)), sign_of(strcmp(left, right)))
                << '"' << left << "\" vs \"" << right << '"';
            for (size_t limit = 0; limit < 8; ++limit)
                EXPECT_EQ(sign_of(klib::strncmp(left, right, limit)),
                          sign_of(strncmp(left, right, limit)));
        }
    }
}

TEST(String, CharacterSearchMatchesLibcIncludingTheTerminator)
{
    for (const char* string : kSampleStrings) {
        for (int character : {int{'a'}, int{'l'}, int{'o'}, int{'/'}, 0, 0x80, 0xff, int{'q'}}) {
            EXPECT_EQ(klib::strchr(string, character), strchr(string, character));
            EXPECT_EQ(klib::strrchr(string, character), strrchr(string, character));
        }
    }
}

// BSD strlcpy/strlcat as specified, for comparison (glibc 2.36 has neither).
size_t reference_strlcpy(char* destination, const char* source, size_t size)
{
    size_t length = strlen(source);
    if (size > 0) {
        size_t copied = std::min(length, size - 1);
        memcpy(destination, source, copied);
        destination[copied] = '\0';
    }
    return length;
}

size_t reference_strlcat(char* destination, const char* source, size_t size)
{
    size_t existing = strnlen(destination, size);
    if (existing == size)
        return size + strlen(source);
    return existing + reference_strlcpy(destination + existing, source, size - existing);
}

TEST(String, StrlcpyAndStrlcatTruncateSafelyAndReportTheFullLength)
{
    for (const char* source : kSampleStrings) {
        for (size_t size = 0; size < 16; ++size) {
            char ours[32];
            char theirs[32];
            memset(ours, '#', sizeof ours);
            memset(theirs, '#', sizeof theirs);
            EXPECT_EQ(klib::strlcpy(ours, source, size), reference_strlcpy(theirs, source, size));
            EXPECT_EQ(memcmp(ours, theirs, sizeof ours), 0);

            for (const char* prefix : {"", "ab", "abcdefghij", "0123456789abcdefghij"}) {
                memset(ours, '#', sizeof ours);
                strcpy(ours, prefix);
                memcpy(theirs, ours, sizeof ours);
                EXPECT_EQ(klib::strlcat(ours, source, size), reference_strlcat(theirs, source, size));
                EXPECT_EQ(memcmp(ours, theirs, sizeof ours), 0) << prefix << "+" << source;
            }
        }
    }
    char small[4];
    EXPECT_EQ(klib::strlcpy(small, "hello", sizeof small), 5u);
    EXPECT_STREQ(small, "hel");
}

TEST(String, ParseUnsignedAcceptsWholeNumbersInAnyBase)
{
    struct Case {
        const char* text;
        int base;
        bool ok;
        unsigned long long value;
    };
    const Case cases[] = {
        {"0", 10, true, 0}, {"42", 10, true, 42}, {"0x1F", 0, true, 31}, {"0X1f", 0, true, 31},
        {"1f", 16, true, 31}, {"0x1f", 16, true, 31}, {"017", 0, true, 15}, {"0", 0, true, 0},
        {"17", 0, true, 17}, {"101", 2, true, 5}, {"zz", 36, true, 1295},
        {"18446744073709551615", 10, true, ULLONG_MAX}, {"0xffffffffffffffff", 0, true, ULLONG_MAX},
        {"18446744073709551616", 10, false, 0}, {"0x10000000000000000", 0, false, 0},
        {"", 10, false, 0}, {"0x", 0, false, 0}, {"12a", 10, false, 0}, {" 12", 10, false, 0},
        {"-1", 10, false, 0}, {"+1", 10, false, 0}, {"8", 8, false, 0}, {"09", 0, false, 0},
        {"2", 2, false, 0}, {"1", 1, false, 0}, {"1", 37, false, 0},
    };
    for (const Case& test : cases) {
        unsigned long long value = 12345;
        EXPECT_EQ(klib::parse_unsigned(test.text, test.base, &value), test.ok)
            << test.text << " base " << test.base;
        EXPECT_EQ(value, test.ok ? test.value : 12345ULL) << test.text;
    }
}

TEST(String, StartsWithComparesPrefixes)
{
    EXPECT_TRUE(klib::starts_with("init=/bin/sh", "init="));
    EXPECT_TRUE(klib::starts_with("abc", ""));
    EXPECT_TRUE(klib::starts_with("abc", "abc"));
    EXPECT_FALSE(klib::starts_with("ab", "abc"));
    EXPECT_FALSE(klib::starts_with("quiet", "iosched="));
}

// --------------------------------------------------------------------------- format

// Formats with libc and with klib; the format attribute checks every use at compile
// time, so the argument types in the table below are right by construction.
#define EXPECT_FORMAT_MATCHES_LIBC(...)                                                 \
    do {                                                                                \
        char expected[256];                                                             \
        char actual[256];                                                               \
        int expected_length = snprintf(expected, sizeof expected, __VA_ARGS__);         \
        size_t actual_length = klib::format(actual, sizeof actual, __VA_ARGS__);        \
        EXPECT_STREQ(actual, expected) << #__VA_ARGS__;                                 \
        EXPECT_EQ(actual_length, static_cast<size_t>(expected_length)) << #__VA_ARGS__; \
    } while (0)

TEST(Format, SignedIntegersMatchLibc)
{
    EXPECT_FORMAT_MATCHES_LIBC("plain text");
    EXPECT_FORMAT_MATCHES_LIBC("%%|100%%");
    for (int value : {0, 1, -1, 7, -42, 1000, INT_MAX, INT_MIN}) {
        EXPECT_FORMAT_MATCHES_LIBC("%d|%i", value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%5d][%-5d][%05d][%+d][% d]", value, value, value, value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%+05d][%-+6d][% 05d][%- 6d]", value, value, value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%.3d][%.0d][%5.3d][%-8.3d]", value, value, value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%+.0d][% .0d][%12.10d][%1d]", value, value, value, value);
    }
}

TEST(Format, UnsignedOctalAndHexMatchLibc)
{
    for (unsigned value : {0u, 1u, 8u, 9u, 255u, 4096u, 0xdeadbeefu, UINT_MAX}) {
        EXPECT_FORMAT_MATCHES_LIBC("%u|%o|%x|%X", value, value, value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%#x][%#X][%#o][%#08x][%#-10x][%#.5x]", value, value, value,
                                   value, value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%.0x][%#.0o][%#.0x][%#5o][%08o][%-6u][%06X]", value, value,
                                   value, value, value, value, value);
        EXPECT_FORMAT_MATCHES_LIBC("[%#3o][%#.3o][%#10.4x]", value, value, value);
    }
}

// GCC warns that '0' means nothing next to a precision; that rule is what we test.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
TEST(Format, ZeroFlagIsIgnoredWhenAPrecisionIsGiven)
{
    for (int value : {0, 5, -5, 123456}) {
        EXPECT_FORMAT_MATCHES_LIBC("[%08.3d][%010.4u][%06.0x]", value, static_cast<unsigned>(value),
                                   static_cast<unsigned>(value));
    }
}
#pragma GCC diagnostic pop

TEST(Format, LengthModifiersMatchLibc)
{
    EXPECT_FORMAT_MATCHES_LIBC("%hhd %hhu %hhx %hhd", 200, 300, -1, -128);
    EXPECT_FORMAT_MATCHES_LIBC("%hd %hu %hx %ho", 40000, -1, 0x12345, 70000);
    EXPECT_FORMAT_MATCHES_LIBC("%ld %lu %lx %li", LONG_MIN, ULONG_MAX, 0x123456789abcL, LONG_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%lld %lld %llu", LLONG_MIN, LLONG_MAX, ULLONG_MAX);
    EXPECT_FORMAT_MATCHES_LIBC("%llo %llx %llX %#llx", ULLONG_MAX, 0x1234567890abcdefULL,
                               0xfedcba9876543210ULL, 1ULL << 63);
    EXPECT_FORMAT_MATCHES_LIBC("%llu %llu %llu", 10000000000ULL, 4294967296ULL, 4294967295ULL);
    EXPECT_FORMAT_MATCHES_LIBC("%zu %zd %zx %zd", SIZE_MAX, static_cast<ssize_t>(-5),
                               static_cast<size_t>(0xabc), static_cast<ssize_t>(SSIZE_MAX));
    EXPECT_FORMAT_MATCHES_LIBC("%td %tx %td", static_cast<ptrdiff_t>(-7),
                               static_cast<ptrdiff_t>(255), PTRDIFF_MIN);
    EXPECT_FORMAT_MATCHES_LIBC("%jd %ju %jx", INTMAX_MIN, UINTMAX_MAX, static_cast<uintmax_t>(48879));
    EXPECT_FORMAT_MATCHES_LIBC("[%20lld][%-20llu][%+025lld]", -123456789012LL, 987654321098ULL,
                               123456789012345LL);
}

TEST(Format, CharactersAndStringsMatchLibc)
{
    EXPECT_FORMAT_MATCHES_LIBC("[%c][%3c][%-3c][%c]", 'A', 'b', 'c', 0x7e);
    for (const char* text : {"", "a", "hello", "a longer string than the widths"}) {
        EXPECT_FORMAT_MATCHES_LIBC("[%s][%10s][%-10s]", text, text, text);
        EXPECT_FORMAT_MATCHES_LIBC("[%.3s][%10.3s][%-10.3s][%.0s][%.100s]", text, text, text, text,
                                   text);
    }
}

TEST(Format, StarWidthAndPrecisionMatchLibc)
{
    EXPECT_FORMAT_MATCHES_LIBC("[%*d][%-*d][%*d]", 5, 42, 5, 42, -5, 42);
    EXPECT_FORMAT_MATCHES_LIBC("[%.*d][%.*d][%.*d]", 3, 7, 0, 0, -1, 7);
    EXPECT_FORMAT_MATCHES_LIBC("[%.*s][%*.*s][%-*.*s]", 2, "abc", 6, 2, "hello", 6, 3, "hello");
    EXPECT_FORMAT_MATCHES_LIBC("[%0*d][%*x]", 6, -12, 8, 0xbeefu);
}

TEST(Format, MixedConversionsMatchLibc)
{
    EXPECT_FORMAT_MATCHES_LIBC("%s: block %u of %d (%#x) %c%%", "ata0", 17u, -3, 4096u, '!');
    EXPECT_FORMAT_MATCHES_LIBC("%-12s|%8.3u|%+lld|%hhx", "name", 5u, 1LL << 40, 0x1ff);
}

TEST(Format, NullStringPrintsNullMarker)
{
    char buffer[32];
    const char* volatile nothing = nullptr; // volatile: GCC would warn about a known null
    EXPECT_EQ(klib::format(buffer, sizeof buffer, "[%s]", nothing), 8u);
    EXPECT_STREQ(buffer, "[(null)]");
}

TEST(Format, PointersPrintAllHexDigits)
{
    char buffer[64];
    std::string zeros(2 * sizeof(void*) - 4, '0');
    klib::format(buffer, sizeof buffer, "%p", reinterpret_cast<void*>(0xbeef));
    EXPECT_EQ(std::string(buffer), "0x" + zeros + "beef");
    klib::format(buffer, sizeof buffer, "%p", static_cast<void*>(nullptr));
    EXPECT_EQ(std::string(buffer), "0x" + zeros + "0000");
    size_t width = 2 + 2 * sizeof(void*) + 3;
    klib::format(buffer, sizeof buffer, "[%*p]", static_cast<int>(width), reinterpret_cast<void*>(1));
    EXPECT_EQ(std::string(buffer), "[   0x" + zeros + "0001]");
}

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
TEST(Format, UnknownConversionsAreCopiedLiterally)
{
    char buffer[64];
    EXPECT_EQ(klib::format(buffer, sizeof buffer, "a%yb%5qc"), 8u);
    EXPECT_STREQ(buffer, "a%yb%5qc");
    EXPECT_EQ(klib::format(buffer, sizeof buffer, "end%-0"), 6u);
    EXPECT_STREQ(buffer, "end%-0");
    EXPECT_EQ(klib::format(buffer, sizeof buffer, "%"), 1u);
    EXPECT_STREQ(buffer, "%");
}
#pragma GCC diagnostic pop

#define EXPECT_TRUNCATION_MATCHES_LIBC(...)                                               \
    do {                                                                                  \
        for (size_t size = 0; size < 40; ++size) {                                        \
            char expected[48];                                                            \
            char actual[48];                                                              \
            memset(expected, '#', sizeof expected);                                       \
            memset(actual, '#', sizeof actual);                                           \
            int expected_length = snprintf(expected, size, __VA_ARGS__);                  \
            size_t actual_length = klib::format(actual, size, __VA_ARGS__);               \
            ASSERT_EQ(actual_length, static_cast<size_t>(expected_length)) << size;       \
            ASSERT_EQ(memcmp(actual, expected, sizeof actual), 0) << "size " << size;     \
        }                                                                                 \
    } while (0)

TEST(Format, TruncatesLikeSnprintfAndReturnsTheFullLength)
{
    EXPECT_TRUNCATION_MATCHES_LIBC("hello, world");
    EXPECT_TRUNCATION_MATCHES_LIBC("%s=%d (%#x)", "answer", 42, 42u);
    EXPECT_TRUNCATION_MATCHES_LIBC("[%-20s][%08d]", "left", -12345);
    EXPECT_TRUNCATION_MATCHES_LIBC("%llu%llu", ULLONG_MAX, ULLONG_MAX);
}

TEST(Format, ZeroSizeWritesNothingButCounts)
{
    EXPECT_EQ(klib::format(nullptr, 0, "%d-%s", 12345, "abc"), 9u);
}

void append_to_string(char character, void* context)
{
    static_cast<std::string*>(context)->push_back(character);
}

size_t stream_to_string(std::string* out, const char* format_string, ...)
    __attribute__((format(printf, 2, 3)));

size_t stream_to_string(std::string* out, const char* format_string, ...)
{
    va_list arguments;
    va_start(arguments, format_string);
    size_t count = klib::vformat_to(append_to_string, out, format_string, arguments);
    va_end(arguments);
    return count;
}

TEST(Format, StreamingHasNoLengthLimit)
{
    std::string out;
    std::string long_text(5000, 'x');
    EXPECT_EQ(stream_to_string(&out, "<%s>%d", long_text.c_str(), 7), 5003u);
    EXPECT_EQ(out, "<" + long_text + ">7");
}

} // namespace
