#pragma once

#include <QString>

#include <optional>
#include <utility>
#include <variant>

namespace imprint {

// A failure as a value: what went wrong, in words a user or operator can act on.
struct Error {
    QString message;
};

// The outcome of an operation that can fail: either a complete value or an Error,
// never a half-filled object. (std::expected is C++23; this is the subset we need.)
template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Result(Error error) : m_state(std::in_place_index<1>, std::move(error)) {}

    static Result failure(QString message) { return Result(Error{std::move(message)}); }

    bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    const T &value() const & { return std::get<0>(m_state); }
    T &value() & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T *operator->() const { return &std::get<0>(m_state); }
    T *operator->() { return &std::get<0>(m_state); }
    const T &operator*() const & { return value(); }
    T &operator*() & { return value(); }

    const Error &error() const & { return std::get<1>(m_state); }
    const QString &errorMessage() const { return std::get<1>(m_state).message; }

private:
    std::variant<T, Error> m_state;
};

// Result of an operation that produces nothing but can fail.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}

    static Status success() { return {}; }
    static Status failure(QString message) { return Status(Error{std::move(message)}); }

    bool ok() const noexcept { return !m_error.has_value(); }
    explicit operator bool() const noexcept { return ok(); }
    const Error &error() const { return *m_error; }
    const QString &errorMessage() const { return m_error->message; }

private:
    std::optional<Error> m_error;
};

} // namespace imprint
