/* editor_keys.c -- the line editor's key decoder: turns the bytes a
 * VT100/xterm sends into keys (editor_core.h), one byte at a time.
 *
 * Sequences: ESC [ params final (CSI) and ESC O final (SS3) for the arrows,
 * Home, End and Delete; ESC followed by one byte is Alt-that-byte.
 * Must stay true: an unknown sequence is swallowed whole (up to its final
 * byte) and never reaches the line; a control byte inside a sequence ends
 * it and counts as itself, so Ctrl-C always works. */
#include <stdlib.h>
#include "editor_core.h"

enum { STATE_PLAIN, STATE_ESCAPE, STATE_CSI, STATE_SS3 };

/* The key of ESC [ ... final, from the final byte and the parameters. */
static int csi_key(const char *parameters, char final)
{
    int first = atoi(parameters);
    /* "1;5C": a modifier after ';' (5 = Ctrl, 3 = Alt) */
    int modified = 0;
    for (const char *p = parameters; *p; p++)
        if (*p == ';')
            modified = atoi(p + 1) > 1;
    switch (final) {
    case 'A': return KEY_UP;
    case 'B': return KEY_DOWN;
    case 'C': return modified ? KEY_WORD_RIGHT : KEY_RIGHT;
    case 'D': return modified ? KEY_WORD_LEFT : KEY_LEFT;
    case 'H': return KEY_HOME;
    case 'F': return KEY_END;
    case '~':
        switch (first) {
        case 1: case 7: return KEY_HOME;
        case 4: case 8: return KEY_END;
        case 3: return KEY_DELETE;
        default: return KEY_NONE;   /* Insert, Page Up/Down, F5.., paste marks */
        }
    default: return KEY_NONE;
    }
}

static int ss3_key(unsigned char final)
{
    switch (final) {
    case 'A': return KEY_UP;
    case 'B': return KEY_DOWN;
    case 'C': return KEY_RIGHT;
    case 'D': return KEY_LEFT;
    case 'H': return KEY_HOME;
    case 'F': return KEY_END;
    default: return KEY_NONE;       /* F1-F4, keypad */
    }
}

static int alt_key(unsigned char byte)
{
    switch (byte) {
    case 'b': return KEY_WORD_LEFT;
    case 'f': return KEY_WORD_RIGHT;
    case 'd': return KEY_KILL_WORD_RIGHT;
    case KEY_BACKSPACE: case CTRL('H'): return KEY_KILL_WORD_LEFT;
    default: return KEY_NONE;
    }
}

static int csi_byte(struct key_decoder *decoder, unsigned char byte)
{
    if (byte >= 0x20 && byte <= 0x3f) {         /* parameter or intermediate */
        if (decoder->parameter_length + 1 < sizeof decoder->parameters)
            decoder->parameters[decoder->parameter_length++] = (char)byte;
        decoder->parameters[decoder->parameter_length] = 0;
        return KEY_NONE;
    }
    decoder->state = byte == 0x1b ? STATE_ESCAPE : STATE_PLAIN;   /* ESC starts anew */
    if (byte >= 0x40 && byte <= 0x7e)
        return csi_key(decoder->parameters, (char)byte);
    return byte < 0x20 && byte != 0x1b ? byte : KEY_NONE;
}

int key_decode(struct key_decoder *decoder, unsigned char byte)
{
    switch (decoder->state) {
    case STATE_ESCAPE:
        if (byte == '[' || byte == 'O') {
            decoder->state = byte == '[' ? STATE_CSI : STATE_SS3;
            decoder->parameter_length = 0;
            decoder->parameters[0] = 0;
            return KEY_NONE;
        }
        if (byte == 0x1b)
            return KEY_NONE;                    /* ESC ESC: still one escape */
        decoder->state = STATE_PLAIN;
        if (byte < 0x20 && byte != CTRL('H'))
            return byte;                        /* ESC then Ctrl-C is still Ctrl-C */
        return alt_key(byte);
    case STATE_CSI:
        return csi_byte(decoder, byte);
    case STATE_SS3:
        decoder->state = byte == 0x1b ? STATE_ESCAPE : STATE_PLAIN;
        if (byte < 0x20)
            return byte == 0x1b ? KEY_NONE : byte;
        return ss3_key(byte);
    default:
        if (byte == 0x1b) {
            decoder->state = STATE_ESCAPE;
            return KEY_NONE;
        }
        return byte;
    }
}
