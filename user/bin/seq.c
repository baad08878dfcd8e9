/* seq -- prints numbers from FIRST to LAST by INCREMENT, as coreutils' seq
 * does for integers and plain decimals ("2.5", "-.25"):
 *   seq [-w] [-s SEP] [FIRST [INCREMENT]] LAST
 * FIRST and INCREMENT default to 1. The numbers are printed with as many
 * decimals as FIRST or INCREMENT has, separated by SEP (default newline)
 * and ended by a newline; -w pads them with leading zeros to equal width.
 * Operands may be negative ("seq -3 -1 -5"): an argument that reads as a
 * number ends the options.
 * Differences from coreutils, on purpose: no -f FORMAT and no exponents,
 * hexadecimal, inf or nan (a clear error instead); numbers must fit 18
 * significant digits.
 * The arithmetic is exact: every value is an integer count of the
 * smallest decimal unit any operand has, each printed value computed as
 * FIRST + n * INCREMENT (no accumulated error).
 * Exit status 0; 1 on a bad operand or zero increment (coreutils' words). */
#include <progutil.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *program_name = "seq";

#define MAX_DECIMALS 9

typedef struct {
    long long units;   /* value * 10^decimals */
    int decimals;      /* digits after the point as written */
    int width;         /* printed width as written, as coreutils counts it */
} Number;

static int usage(FILE *out, int status)
{
    fputs("Usage: seq [-w] [-s SEP] LAST\n"
          "  or:  seq [-w] [-s SEP] FIRST LAST\n"
          "  or:  seq [-w] [-s SEP] FIRST INCREMENT LAST\n"
          "Print numbers from FIRST to LAST, in steps of INCREMENT (both 1 by default).\n"
          "Numbers are integers or decimals like 2.5; they are printed with as many\n"
          "decimals as FIRST or INCREMENT has.\n"
          "  -s SEP  use SEP to separate numbers (default: \\n)\n"
          "  -w      equalize width by padding with leading zeros\n", out);
    return finish(status);
}

static int parse_number(const char *text, Number *out)
{
    const char *p = text;
    while (*p == ' ' || *p == '\t')
        p++;
    int negative = *p == '-';
    if (*p == '-' || *p == '+')
        p++;
    const char *digits_start = p;
    long long units = 0;
    int decimals = 0, any = 0, seen_point = 0;
    for (; (*p >= '0' && *p <= '9') || (*p == '.' && !seen_point); p++) {
        if (*p == '.') {
            seen_point = 1;
            continue;
        }
        if (units > 99999999999999999LL || (seen_point && decimals == MAX_DECIMALS))
            return 0;
        units = units * 10 + (*p - '0');
        decimals += seen_point;
        any = 1;
    }
    if (!any || *p)
        return 0;
    out->units = negative ? -units : units;
    out->decimals = decimals;
    /* coreutils' width: the text without leading blanks and '+', one less
     * for a bare trailing point ("1."), one more for a missing leading
     * zero (".5"). */
    const char *shown = text;
    while (*shown == ' ' || *shown == '\t' || *shown == '+')
        shown++;
    out->width = (int)strlen(shown);
    const char *point = strchr(digits_start, '.');
    if (point && decimals == 0)
        out->width--;
    else if (point && point == digits_start)
        out->width++;
    return 1;
}

static long long scale_up(long long units, int from, int to)
{
    while (from++ < to)
        units *= 10;
    return units;
}

/* Prints units (with `decimals` decimals), zero-padded to width. */
static void print_value(long long units, int decimals, int width)
{
    char digits[48];
    unsigned long long magnitude = units < 0 ? 0ULL - (unsigned long long)units : (unsigned long long)units;
    unsigned long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    int n;
    if (decimals)
        n = snprintf(digits, sizeof digits, "%llu.%0*llu", magnitude / scale, decimals, magnitude % scale);
    else
        n = snprintf(digits, sizeof digits, "%llu", magnitude);
    int length = n + (units < 0);
    if (units < 0)
        putchar('-');
    for (; length < width; length++)
        putchar('0');
    fputs(digits, stdout);
}

static int bad_operand(const char *text)
{
    warn_message("invalid floating point argument: '%s'", text);
    suggest_help();
    return 1;
}

static int looks_like_number(const char *arg)
{
    return arg[0] == '-' && ((arg[1] >= '0' && arg[1] <= '9') || arg[1] == '.');
}

static const char *separator = "\n";
static int equal_width;

/* Reads -w and -s SEP up to the first operand (a negative number is an
 * operand); returns the operand's index, or -1 after a usage message. */
static int parse_options(int argc, char **argv)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] && !looks_like_number(argv[i]); i++) {
        if (strcmp(argv[i], "--") == 0)
            return i + 1;
        for (const char *o = argv[i] + 1; *o; o++) {
            if (*o == 'w') {
                equal_width = 1;
            } else if (*o == 's') {
                if (o[1]) separator = o + 1;
                else if (i + 1 < argc) separator = argv[++i];
                else {
                    fprintf(stderr, "%s: option requires an argument -- 's'\n", argv[0]);
                    usage(stderr, 1);
                    return -1;
                }
                break;
            } else {
                fprintf(stderr, "%s: invalid option -- '%c'\n", argv[0], *o);
                usage(stderr, 1);
                return -1;
            }
        }
    }
    return i;
}

int main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "--help") == 0)
        return usage(stdout, 0);
    int i = parse_options(argc, argv);
    if (i < 0)
        return 1;
    int count = argc - i;
    if (count < 1) {
        warn_message("missing operand");
        suggest_help();
        return 1;
    }
    if (count > 3) {
        warn_message("extra operand '%s'", argv[i + 3]);
        suggest_help();
        return 1;
    }
    Number first = {1, 0, 1}, step = {1, 0, 1}, last;
    if (count >= 2 && !parse_number(argv[i], &first))
        return bad_operand(argv[i]);
    if (count == 3 && !parse_number(argv[i + 1], &step))
        return bad_operand(argv[i + 1]);
    if (!parse_number(argv[argc - 1], &last))
        return bad_operand(argv[argc - 1]);
    if (step.units == 0) {
        warn_message("invalid Zero increment value: '%s'", argv[i + 1]);
        suggest_help();
        return 1;
    }
    int decimals = first.decimals > step.decimals ? first.decimals : step.decimals;
    int finest = decimals > last.decimals ? decimals : last.decimals;
    long long start = scale_up(first.units, first.decimals, finest);
    long long increment = scale_up(step.units, step.decimals, finest);
    long long end = scale_up(last.units, last.decimals, finest);
    int width = 0;
    if (equal_width) {
        int first_width = first.width + (decimals - first.decimals) + (first.decimals == 0 && decimals);
        int last_width = last.width + (decimals - last.decimals);
        if (last.decimals && decimals == 0) last_width--;
        if (last.decimals == 0 && decimals) last_width++;
        width = first_width > last_width ? first_width : last_width;
    }
    long long divisor = scale_up(1, decimals, finest);
    long long n = 0;
    for (;; n++) {
        long long value = start + n * increment;
        if (increment > 0 ? value > end : value < end)
            break;
        if (n > 0)
            fputs(separator, stdout);
        print_value(value / divisor, decimals, width);
        if (n % 4096 == 4095 && ferror(stdout))
            break;
    }
    if (n > 0)
        putchar('\n');
    return finish(0);
}
