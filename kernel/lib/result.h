/*
 * kernel/lib/result.h — Result<T>, Error and TRY (klib, the bottom layer).
 *
 * The kernel is built without exceptions, so a function that can fail returns a
 * Result<T>: either the T it promised or an Error carrying a Linux errno number
 * (kernel/lib/errno.h). Only the system-call layer turns an Error into -errno.
 *
 * Interface:
 *   Error{ENOENT}              an error; the constructor is explicit so a plain int is
 *                              never mistaken for an error (or the reverse).
 *   Result<T> r = value;       success (implicit from T, copied or moved)
 *   Result<T> r = Error{EIO};  failure (implicit from Error)
 *   r.is_error(), r.error()    error() is the errno number
 *   r.value()                  the T, by reference, still owned by r
 *   r.release_value()          moves the T out of r (for move-only types)
 *   Result<void>               success by default construction, or an Error
 *   TRY(expr)                  inside a function returning some Result<U>: if expr
 *                              failed, return its Error from the enclosing function;
 *                              otherwise the expression's value is the released T.
 *
 * Invariants:
 *   - A Result holds exactly one of {T, Error}; the T lives in a union so T needs no
 *     default constructor, and is constructed/destroyed by hand exactly once.
 *   - Asking a success for its error, or a failure for its value, is a bug in the
 *     caller, not a runtime condition: it traps at once (__builtin_trap) instead of
 *     returning garbage that would surface far away.
 *   - Error codes are positive. Watch out: in a function returning Result<int>,
 *     `return ENOENT;` is a *value* of 2; write `return Error{ENOENT};`.
 *
 * Example:
 *   Result<Inode*> lookup(Dentry& dir, const char* name) {
 *       Inode* parent = TRY(dir.resolve());      // propagates EIO etc.
 *       if (!parent) return Error{ENOENT};
 *       return parent->find(name);               // implicit Result<Inode*>
 *   }
 */
#pragma once

#include <new>
#include <type_traits>
#include <utility>

struct Error {
    explicit constexpr Error(int errno_code) : code(errno_code) {}
    int code;
};

// Misuse of a Result (value of an error, error of a value) stops right here, so the
// debugger shows the guilty caller one frame up.
[[noreturn]] inline void result_misuse_trap() { __builtin_trap(); }

template<typename T>
class [[nodiscard]] Result {
    static_assert(!std::is_reference_v<T>, "Result<T&> is not supported; use Result<T*>");
    static_assert(!std::is_same_v<std::remove_cv_t<T>, Error>, "Result<Error> is ambiguous");

public:
    Result(const T& value) : m_has_value(true) { new (&m_value) T(value); }
    Result(T&& value) : m_has_value(true) { new (&m_value) T(std::move(value)); }
    Result(Error error) : m_no_value(0), m_error_code(error.code), m_has_value(false) {}

    Result(const Result& other) requires std::is_copy_constructible_v<T> { construct_from(other); }
    Result(Result&& other) { construct_from(std::move(other)); }

    Result& operator=(const Result& other) requires std::is_copy_constructible_v<T>
    {
        if (this != &other) {
            destroy_value();
            construct_from(other);
        }
        return *this;
    }

    Result& operator=(Result&& other)
    {
        if (this != &other) {
            destroy_value();
            construct_from(std::move(other));
        }
        return *this;
    }

    ~Result() { destroy_value(); }

    bool is_error() const { return !m_has_value; }

    int error() const
    {
        if (m_has_value)
            result_misuse_trap();
        return m_error_code;
    }

    T& value()
    {
        if (!m_has_value)
            result_misuse_trap();
        return m_value;
    }

    const T& value() const
    {
        if (!m_has_value)
            result_misuse_trap();
        return m_value;
    }

    // Moves the value out; the Result keeps a moved-from T until it is destroyed.
    T release_value()
    {
        if (!m_has_value)
            result_misuse_trap();
        return std::move(m_value);
    }

private:
    // Copies (from an lvalue) or moves (from an rvalue) other's alternative into
    // *this, which must hold nothing alive.
    template<typename Other>
    void construct_from(Other&& other)
    {
        m_error_code = other.m_error_code;
        m_has_value = other.m_has_value;
        if (other.m_has_value)
            new (&m_value) T(std::forward<Other>(other).m_value);
        else
            m_no_value = 0;
    }

    void destroy_value()
    {
        if (m_has_value)
            m_value.~T();
    }

    // An error activates m_no_value, as std::optional does: with no member of the
    // union ever written, GCC (notably under ASan) warns that copying or moving a
    // failed Result "may use m_value uninitialized", though it never reads it.
    union {
        T m_value;                // alive exactly when m_has_value
        unsigned char m_no_value; // alive otherwise
    };
    int m_error_code = 0; // meaningful only when !m_has_value
    bool m_has_value;
};

template<>
class [[nodiscard]] Result<void> {
public:
    Result() = default; // success
    Result(Error error) : m_error_code(error.code) {}

    bool is_error() const { return m_error_code != 0; }

    int error() const
    {
        if (m_error_code == 0)
            result_misuse_trap();
        return m_error_code;
    }

    // Present so TRY() reads the same for every Result; there is nothing to release.
    void release_value() const
    {
        if (m_error_code != 0)
            result_misuse_trap();
    }

private:
    int m_error_code = 0; // 0 means success; errno numbers are never 0
};

// A GCC statement expression: its value is the last expression inside the braces.
// `auto&&` keeps a returned temporary alive for the whole statement expression.
#define TRY(expression)                                              \
    ({                                                               \
        auto&& try_result_ = (expression);                           \
        if (try_result_.is_error())                                  \
            return Error { try_result_.error() };                    \
        try_result_.release_value();                                 \
    })
