// tests/host/rtc_decode_test.cpp -- the CMOS clock's register values
// (drivers/rtc/rtc_decode.h) against the host C library's calendar: every
// date the registers encode, in BCD or binary and 12- or 24-hour form, must
// decode to what glibc's timegm() says for it; impossible readings are EIO.
#include <gtest/gtest.h>

#include <ctime>

#include "drivers/rtc/rtc_decode.h"
#include "kernel/lib/errno.h"

namespace {

using cmos_rtc::RegisterValues;

uint8_t to_bcd(int value) { return uint8_t((value / 10) << 4 | (value % 10)); }

struct Date {
    int year, month, day, hour, minute, second;
};

int64_t glibc_seconds(const Date& d) {
    std::tm tm{};
    tm.tm_year = d.year - 1900, tm.tm_mon = d.month - 1, tm.tm_mday = d.day;
    tm.tm_hour = d.hour, tm.tm_min = d.minute, tm.tm_sec = d.second;
    return int64_t(timegm(&tm));
}

// The registers of a clock in the given mode showing d.
RegisterValues encode(const Date& d, bool binary, bool twenty_four_hour, bool has_century = true) {
    auto field = [binary](int value) { return binary ? uint8_t(value) : to_bcd(value); };
    uint8_t hours;
    if (twenty_four_hour) {
        hours = field(d.hour);
    } else {
        int twelve = d.hour % 12 == 0 ? 12 : d.hour % 12;
        hours = uint8_t(field(twelve) | (d.hour >= 12 ? cmos_rtc::HOUR_PM : 0));
    }
    uint8_t status_b = uint8_t((binary ? cmos_rtc::STATUS_B_BINARY : 0) |
                               (twenty_four_hour ? cmos_rtc::STATUS_B_24_HOUR : 0));
    return {field(d.second), field(d.minute), hours, field(d.day), field(d.month), field(d.year % 100),
            field(d.year / 100), has_century, status_b};
}

const Date DATES[] = {
    {1970, 1, 1, 0, 0, 0},    {1999, 12, 31, 23, 59, 59}, {2000, 1, 1, 0, 0, 0},   {2000, 2, 29, 12, 0, 0},
    {2024, 2, 29, 0, 30, 1},  {2026, 12, 7, 11, 22, 33},  {2038, 1, 19, 3, 14, 8}, {2099, 12, 31, 12, 59, 59},
    {2100, 3, 1, 1, 0, 0},    {1985, 6, 15, 13, 45, 0},   {2001, 9, 9, 1, 46, 40},
};

}  // namespace

TEST(RtcDecode, EveryModeGivesGlibcsTime) {
    for (const Date& d : DATES) {
        for (bool binary : {false, true}) {
            for (bool twenty_four_hour : {false, true}) {
                auto seconds = cmos_rtc::decode(encode(d, binary, twenty_four_hour));
                ASSERT_FALSE(seconds.is_error()) << d.year << "-" << d.month << "-" << d.day;
                EXPECT_EQ(seconds.value(), glibc_seconds(d))
                    << d.year << "-" << d.month << "-" << d.day << " " << d.hour << ":" << d.minute
                    << " binary " << binary << " 24h " << twenty_four_hour;
            }
        }
    }
}

TEST(RtcDecode, EveryWeekFrom1970To2099AgreesWithGlibc) {
    for (int64_t day = 0; day < 146097; day += 7) {   // stops at 2100
        time_t when = time_t(day * 86400 + 45296);  // 12:34:56
        std::tm tm{};
        gmtime_r(&when, &tm);
        Date d{tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec};
        if (d.year > 2099) break;   // what the century register can say, 19xx-20xx here
        auto seconds = cmos_rtc::decode(encode(d, false, true));
        ASSERT_FALSE(seconds.is_error());
        ASSERT_EQ(seconds.value(), int64_t(when)) << d.year << "-" << d.month << "-" << d.day;
    }
}

TEST(RtcDecode, WithoutACenturyRegisterTheYearIs20xx) {
    Date d{1999, 7, 1, 8, 0, 0};
    auto seconds = cmos_rtc::decode(encode(d, false, true, false));
    ASSERT_FALSE(seconds.is_error());
    EXPECT_EQ(seconds.value(), glibc_seconds({2099, 7, 1, 8, 0, 0}));
}

TEST(RtcDecode, ACenturyRegisterThatReadsAsNonsenseIsPassedOver) {
    RegisterValues r = encode({2026, 12, 7, 11, 22, 33}, false, true);
    r.century = 0x00;
    auto seconds = cmos_rtc::decode(r);
    ASSERT_FALSE(seconds.is_error());
    EXPECT_EQ(seconds.value(), glibc_seconds({2026, 12, 7, 11, 22, 33}));
}

TEST(RtcDecode, ImpossibleReadingsAreEio) {
    const Date good{2026, 2, 28, 11, 22, 33};
    auto expect_eio = [](RegisterValues r, const char* what) {
        auto seconds = cmos_rtc::decode(r);
        ASSERT_TRUE(seconds.is_error()) << what;
        EXPECT_EQ(seconds.error(), EIO) << what;
    };
    RegisterValues r = encode(good, false, true);
    r.seconds = 0x5A;
    expect_eio(r, "BCD digit above 9");
    r = encode(good, false, true);
    r.day = 0x30;
    expect_eio(r, "30 February");
    r = encode(good, false, true);
    r.month = 0x13;
    expect_eio(r, "month 13");
    r = encode(good, false, true);
    r.hours = 0x24;
    expect_eio(r, "hour 24");
    r = encode(good, false, false);
    r.hours = 0x00;
    expect_eio(r, "0 o'clock on a 12-hour clock");
    r = encode(good, true, true);
    r.minutes = 60;
    expect_eio(r, "minute 60");
    r = encode({2025, 2, 28, 0, 0, 0}, false, true);
    r.day = 0x29;
    expect_eio(r, "29 February 2025");
}
