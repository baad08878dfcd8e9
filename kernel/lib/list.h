/*
 * kernel/lib/list.h — intrusive doubly-linked list (klib, the bottom layer).
 *
 * "Intrusive" means the links live inside the listed object (a ListNode member), so
 * putting an object on a list never allocates and cannot fail — which is what a
 * scheduler run queue or an LRU list needs while interrupts are off or memory is
 * short. The price: an object can be on one list per ListNode member it has.
 *
 * Interface (namespace klib):
 *   struct Buffer { ListNode lru_link; ... };
 *   IntrusiveList<Buffer, &Buffer::lru_link> lru;
 *   lru.push_back(b); lru.push_front(b); lru.insert_before(position, b);
 *   lru.remove(b); Buffer* oldest = lru.pop_front();   // nullptr when empty
 *   lru.front(), lru.back()                            // nullptr when empty
 *   lru.empty(), lru.size()                            // size() is O(1)
 *   for (Buffer& b : lru) { ... }
 *
 * Iteration and removal: the iterator reads the next node *before* it hands out the
 * current element, so the loop body may remove (or move to another list) the element
 * it is looking at. It must not remove any other element of the list, in particular
 * not the next one.
 *
 * Invariants:
 *   - The list is circular around a sentinel node owned by the list object, so no
 *     operation needs a special case for "first" or "last"; that is also why a list
 *     can be neither copied nor moved (the elements point at the sentinel).
 *   - A ListNode is linked exactly when next != nullptr. Unlinking clears both
 *     pointers, so a stale node cannot be mistaken for a linked one.
 *   - Pushing a node that is already linked, or removing one that is not, is a bug
 *     in the caller and traps (__builtin_trap) instead of corrupting two lists.
 *   - remove(item) requires item to be on *this* list (not checked: that would cost
 *     a walk); the element count would go wrong otherwise.
 *   - Not locked: the owner of the list says which lock guards it.
 */
#pragma once

#include <cstddef>
#include <cstdint>

namespace klib {

struct ListNode {
    ListNode* prev = nullptr;
    ListNode* next = nullptr;

    bool is_linked() const { return next != nullptr; }
};

// container_of: from a pointer to the `Member` inside some T back to that T.
// The Itanium C++ ABI, which GCC uses on both i686 and the host, represents a pointer
// to data member as the member's byte offset within the object, so we read the
// offset out of the member pointer instead of poking at a fake object (which UBSan
// rightly rejects).
template<typename T, typename MemberType, MemberType T::*Member>
T* owner_of_member(MemberType* member)
{
    static_assert(sizeof(Member) == sizeof(ptrdiff_t), "expected the Itanium C++ ABI");
    constexpr MemberType T::*member_pointer = Member;
    ptrdiff_t offset;
    __builtin_memcpy(&offset, &member_pointer, sizeof(offset));
    return reinterpret_cast<T*>(reinterpret_cast<char*>(member) - offset);
}

template<typename T, ListNode T::*Member>
class IntrusiveList {
public:
    // Element is T for a mutable list and const T for a const one.
    template<typename Element>
    class BasicIterator {
    public:
        BasicIterator(ListNode* node, const ListNode* sentinel)
            : m_current(node), m_next(node->next), m_sentinel(sentinel) {}

        Element& operator*() const { return *owner(m_current); }
        Element* operator->() const { return owner(m_current); }

        BasicIterator& operator++()
        {
            m_current = m_next;
            // The sentinel's next must not be read through a removed element.
            m_next = m_current == m_sentinel ? nullptr : m_current->next;
            return *this;
        }

        bool operator==(const BasicIterator& other) const { return m_current == other.m_current; }

    private:
        ListNode* m_current;
        ListNode* m_next; // read ahead so the current element may be removed
        const ListNode* m_sentinel;
    };
    using Iterator = BasicIterator<T>;
    using ConstIterator = BasicIterator<const T>;

    IntrusiveList() { m_sentinel.prev = m_sentinel.next = &m_sentinel; }
    IntrusiveList(const IntrusiveList&) = delete;
    IntrusiveList& operator=(const IntrusiveList&) = delete;

    bool empty() const { return m_sentinel.next == &m_sentinel; }
    size_t size() const { return m_size; }

    T* front() { return empty() ? nullptr : owner(m_sentinel.next); }
    const T* front() const { return empty() ? nullptr : owner(m_sentinel.next); }
    T* back() { return empty() ? nullptr : owner(m_sentinel.prev); }

    void push_back(T& item) { link_before(&m_sentinel, node_of(item)); }
    void push_front(T& item) { link_before(m_sentinel.next, node_of(item)); }

    // Inserts `item` just in front of `position`, which must be on this list.
    void insert_before(T& position, T& item)
    {
        ListNode* position_node = node_of(position);
        if (!position_node->is_linked())
            __builtin_trap();
        link_before(position_node, node_of(item));
    }

    void remove(T& item)
    {
        ListNode* node = node_of(item);
        if (!node->is_linked())
            __builtin_trap();
        node->prev->next = node->next;
        node->next->prev = node->prev;
        node->prev = node->next = nullptr;
        --m_size;
    }

    T* pop_front()
    {
        T* first = front();
        if (first)
            remove(*first);
        return first;
    }

    Iterator begin() { return Iterator(m_sentinel.next, &m_sentinel); }
    Iterator end() { return Iterator(&m_sentinel, &m_sentinel); }
    ConstIterator begin() const { return ConstIterator(m_sentinel.next, &m_sentinel); }
    ConstIterator end() const { return ConstIterator(sentinel(), &m_sentinel); }

private:
    static ListNode* node_of(T& item) { return &(item.*Member); }
    // The sentinel is never modified through this pointer; iterators just need a
    // ListNode* to compare against.
    ListNode* sentinel() const { return const_cast<ListNode*>(&m_sentinel); }
    static T* owner(ListNode* node) { return owner_of_member<T, ListNode, Member>(node); }

    void link_before(ListNode* successor, ListNode* node)
    {
        if (node->is_linked())
            __builtin_trap(); // already on a list: pushing it again would corrupt both
        node->prev = successor->prev;
        node->next = successor;
        successor->prev->next = node;
        successor->prev = node;
        ++m_size;
    }

    ListNode m_sentinel;
    size_t m_size = 0;
};

} // namespace klib
