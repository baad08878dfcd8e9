/*
 * kernel/lib/hash_table.h — intrusive chained hash table and hash functions (klib).
 *
 * Like IntrusiveList (list.h), the chain link is a member of the stored object, and
 * the caller hands in the bucket array at init(), so the table never allocates: the
 * inode cache and the buffer cache can index objects without a failure path.
 *
 * Interface (namespace klib):
 *   struct CachedInode { HashNode hash_link; uint32_t number; ... };
 *   struct CachedInodeHashTraits {
 *       using Key = uint32_t;
 *       static Key key_of(const CachedInode& inode) { return inode.number; }
 *       static uint32_t hash(const Key& key) { return hash_u32(key); }
 *       // optional: static bool equal(const Key&, const Key&);  default: operator==
 *   };
 *   IntrusiveHashTable<CachedInode, &CachedInode::hash_link, CachedInodeHashTraits> t;
 *   HashNode* buckets[64];
 *   t.init(buckets, 64);
 *   t.insert(inode); CachedInode* hit = t.find(7); bool was_there = t.remove(inode);
 *   t.size(); t.bucket_count(); t.for_each([](CachedInode& inode) { ... });
 *
 *   hash_u32, hash_u64, hash_string (FNV-1a), hash_combine — 32-bit hashes.
 *
 * Invariants:
 *   - Keys are unique; insert() does not look for an existing entry with the same key
 *     (a cache does find() first anyway), so a duplicate would shadow or be shadowed.
 *   - An element is in at most one bucket chain of one table through a given HashNode
 *     member; the key of an element must not change while it is in the table.
 *   - for_each() reads the next link before calling the callable, so the callable may
 *     remove the element it was given (and only that one).
 *   - The bucket array belongs to the caller and must outlive the table; any bucket
 *     count >= 1 works (a prime or a power of two both spread well with these hashes).
 *   - Not locked: the owner of the table says which lock guards it.
 */
#pragma once

#include <cstddef>
#include <cstdint>

#include "kernel/lib/list.h" // owner_of_member

namespace klib {

struct HashNode {
    HashNode* next = nullptr;
};

// Mixes all bits of `value` into all bits of the result (the MurmurHash3 finaliser
// idea): consecutive inode or block numbers end up in unrelated buckets.
constexpr uint32_t hash_u32(uint32_t value)
{
    value ^= value >> 16;
    value *= 0x85EBCA6Bu;
    value ^= value >> 13;
    value *= 0xC2B2AE35u;
    value ^= value >> 16;
    return value;
}

constexpr uint32_t hash_u64(uint64_t value)
{
    return hash_u32(static_cast<uint32_t>(value) ^ hash_u32(static_cast<uint32_t>(value >> 32)));
}

// FNV-1a over the bytes of a NUL-terminated string: short, and good enough for names.
constexpr uint32_t hash_string(const char* string)
{
    uint32_t hash = 2166136261u; // FNV offset basis
    for (; *string != '\0'; ++string) {
        hash ^= static_cast<unsigned char>(*string);
        hash *= 16777619u; // FNV prime
    }
    return hash;
}

// Folds `value` into `seed`, for keys made of several parts (device, block number).
constexpr uint32_t hash_combine(uint32_t seed, uint32_t value)
{
    return seed ^ (hash_u32(value) + 0x9E3779B9u + (seed << 6) + (seed >> 2));
}

template<typename T, HashNode T::*Member, typename Traits>
class IntrusiveHashTable {
public:
    using Key = typename Traits::Key;

    IntrusiveHashTable() = default;
    IntrusiveHashTable(const IntrusiveHashTable&) = delete;
    IntrusiveHashTable& operator=(const IntrusiveHashTable&) = delete;

    // Takes the caller's bucket array (bucket_count >= 1) and empties it.
    void init(HashNode** buckets, size_t bucket_count)
    {
        m_buckets = buckets;
        m_bucket_count = bucket_count;
        m_size = 0;
        for (size_t i = 0; i < bucket_count; ++i)
            m_buckets[i] = nullptr;
    }

    size_t size() const { return m_size; }
    size_t bucket_count() const { return m_bucket_count; }

    void insert(T& item)
    {
        HashNode*& head = bucket_for(Traits::key_of(item));
        HashNode* node = &(item.*Member);
        node->next = head;
        head = node;
        ++m_size;
    }

    T* find(const Key& key) const
    {
        for (HashNode* node = bucket_for(key); node != nullptr; node = node->next) {
            T* candidate = owner(node);
            if (keys_equal(Traits::key_of(*candidate), key))
                return candidate;
        }
        return nullptr;
    }

    // Returns false if `item` was not in the table.
    bool remove(T& item)
    {
        HashNode* target = &(item.*Member);
        // Walk the chain through the link that points at each node, so unlinking the
        // head and unlinking an inner node are the same assignment.
        for (HashNode** link = &bucket_for(Traits::key_of(item)); *link != nullptr;
             link = &(*link)->next) {
            if (*link == target) {
                *link = target->next;
                target->next = nullptr;
                --m_size;
                return true;
            }
        }
        return false;
    }

    // Calls visit(T&) for every element, in no particular order.
    template<typename Visitor>
    void for_each(Visitor&& visit)
    {
        for (size_t i = 0; i < m_bucket_count; ++i) {
            HashNode* node = m_buckets[i];
            while (node != nullptr) {
                HashNode* next = node->next; // visit() may remove this element
                visit(*owner(node));
                node = next;
            }
        }
    }

private:
    static T* owner(HashNode* node) { return owner_of_member<T, HashNode, Member>(node); }

    static bool keys_equal(const Key& left, const Key& right)
    {
        if constexpr (requires { Traits::equal(left, right); })
            return Traits::equal(left, right);
        else
            return left == right;
    }

    HashNode*& bucket_for(const Key& key) const
    {
        return m_buckets[Traits::hash(key) % m_bucket_count];
    }

    HashNode** m_buckets = nullptr;
    size_t m_bucket_count = 0;
    size_t m_size = 0;
};

} // namespace klib
