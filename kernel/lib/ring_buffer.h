/*
 * kernel/lib/ring_buffer.h — fixed-capacity FIFO queue (klib, the bottom layer).
 *
 * Used where a producer and a consumer run at different speeds and memory must not
 * be allocated: keyboard scancodes from the interrupt handler, the console's input
 * line, serial output.
 *
 * Interface (namespace klib):
 *   RingBuffer<char, 256> input;
 *   input.push(c)          false (and nothing stored) when full
 *   input.pop(c)           oldest element into c; false when empty
 *   input.peek(c)          like pop but leaves the element in place
 *   input.peek_at(i, c)    the element i places after the oldest, left in place
 *   input.pop_back(c)      removes the *newest* element (a line editor's backspace)
 *   input.size(), empty(), full(), capacity(), clear()
 *
 * Invariants:
 *   - m_count elements are stored, the oldest at m_head, the others following it and
 *     wrapping around at Capacity; indexes are reduced by comparison rather than with
 *     '%', so Capacity need not be a power of two.
 *   - T must be default-constructible and assignable (the slots always hold a T).
 *   - Not locked and not lock-free: when an interrupt handler pushes and a thread
 *     pops, the thread disables interrupts around its calls.
 */
#pragma once

#include <cstddef>

namespace klib {

template<typename T, size_t Capacity>
class RingBuffer {
    static_assert(Capacity > 0, "a ring buffer needs at least one slot");

public:
    bool push(const T& value)
    {
        if (full())
            return false;
        m_slots[wrap(m_head + m_count)] = value;
        ++m_count;
        return true;
    }

    bool pop(T& out)
    {
        if (empty())
            return false;
        out = m_slots[m_head];
        m_head = wrap(m_head + 1);
        --m_count;
        return true;
    }

    bool peek(T& out) const
    {
        if (empty())
            return false;
        out = m_slots[m_head];
        return true;
    }

    // Reads the element `index` places after the oldest (0 = oldest) without
    // removing anything, e.g. to copy out a log buffer; false if index >= size().
    bool peek_at(size_t index, T& out) const
    {
        if (index >= m_count)
            return false;
        out = m_slots[wrap(m_head + index)];
        return true;
    }

    bool pop_back(T& out)
    {
        if (empty())
            return false;
        --m_count;
        out = m_slots[wrap(m_head + m_count)];
        return true;
    }

    void clear()
    {
        m_head = 0;
        m_count = 0;
    }

    size_t size() const { return m_count; }
    bool empty() const { return m_count == 0; }
    bool full() const { return m_count == Capacity; }
    static constexpr size_t capacity() { return Capacity; }

private:
    // `index` is below 2 * Capacity here, so one subtraction brings it into range.
    static size_t wrap(size_t index) { return index >= Capacity ? index - Capacity : index; }

    T m_slots[Capacity] = {};
    size_t m_head = 0;  // slot of the oldest element
    size_t m_count = 0;
};

} // namespace klib
