/* checksum.c -- a file to copy between the demo disks: prints the sum of
 * the bytes of standard input, modulo 65536 (the classic BSD "sum" without
 * its rotation), so a copy can be compared with its original by eye. */
#include <stdio.h>

int main(void)
{
    unsigned sum = 0;
    int byte;
    while ((byte = getchar()) != EOF)
        sum = (sum + (unsigned)byte) & 0xFFFF;
    printf("%u\n", sum);
    return 0;
}
