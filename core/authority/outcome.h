#pragma once

#include "protocol/errors.h"

#include <QString>

#include <utility>
#include <variant>

namespace imprint::authority {

// Why the authority said no: the HTTP-level kind, the text the client may see, and the
// reason that only the server log gets (tier-2 and guard failures must not be an oracle).
struct Refusal {
    protocol::ErrorKind kind;
    QString clientMessage;
    QString logReason;
};

// A decision of the authority: the response to send, or a refusal.
template <typename T>
class [[nodiscard]] Outcome {
public:
    Outcome(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    Outcome(Refusal refusal) : m_state(std::in_place_index<1>, std::move(refusal)) {}

    bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const Refusal &refusal() const { return std::get<1>(m_state); }

private:
    std::variant<T, Refusal> m_state;
};

} // namespace imprint::authority
