#pragma once

#include <QString>

#include <utility>
#include <variant>

namespace imprint::device {

// Why a device-side operation failed, typed so that a window can say what to check and a
// script can tell a wrong secret from an unreachable service.
struct DeviceError {
    enum class Kind {
        Network,           // the service could not be reached (refused, unreachable, DNS)
        Timeout,           // no complete answer in time
        Tls,               // the TLS handshake failed or the service is not trusted
        PinMismatch,       // the service's chain does not contain the pinned CA
        CaNotPresented,    // pinning, but the service sent no CA for its certificate
        Http,              // the service answered with an error status
        MalformedResponse, // the answer is not what the protocol says
        Local,             // something on this machine: key generation, the store, files
        Cancelled,         // the user or caller cancelled
    };

    Kind kind = Kind::Local;
    QString message;     // plain words, never a secret
    int httpStatus = 0;  // for Http
    QString expectedPin; // for PinMismatch
    QString foundPin;    // for PinMismatch: the pin of the CA the service presented

    static DeviceError make(Kind kind, QString message) { return DeviceError{kind, std::move(message), 0, {}, {}}; }
};

QString kindName(DeviceError::Kind kind);

// A device operation's result: a value or a DeviceError.
template <typename T>
class [[nodiscard]] DeviceResult {
public:
    DeviceResult(T value) : m_state(std::in_place_index<0>, std::move(value)) {}
    DeviceResult(DeviceError error) : m_state(std::in_place_index<1>, std::move(error)) {}

    bool ok() const noexcept { return m_state.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }
    const T &value() const & { return std::get<0>(m_state); }
    T &&value() && { return std::get<0>(std::move(m_state)); }
    const T *operator->() const { return &std::get<0>(m_state); }
    const DeviceError &error() const { return std::get<1>(m_state); }

private:
    std::variant<T, DeviceError> m_state;
};

} // namespace imprint::device
