#include "connection.h"

#include "protocol/endpoints.h"
#include "target.h"
#include "tlsconfig.h"

#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

#include <optional>

namespace imprint::bench {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using Stream = beast::ssl_stream<beast::tcp_stream>;

// GCC 12 may destroy a temporary with a destructor that is part of a co_await or
// co_return expression twice: coroutines here co_return named objects only, and callers
// bind results to named variables.

namespace {

auto token(beast::error_code &ec)
{
    return asio::redirect_error(asio::use_awaitable, ec);
}

enum class Stage { Connect, Handshake, Transfer };

std::string classify(const beast::error_code &ec, Stage stage)
{
    if (ec == beast::error::timeout)
        return "timeout";
    if (stage == Stage::Connect)
        return "connect: " + ec.message();
    if (ec.category() == asio::error::get_ssl_category())
        return "tls: " + ec.message();
    if (ec == asio::ssl::error::stream_truncated)
        return "io: stream truncated";
    if (ec.category() == http::make_error_code(http::error::end_of_stream).category())
        return "http parse: " + ec.message();
    return (stage == Stage::Handshake ? "tls handshake: " : "io: ") + ec.message();
}

} // namespace

struct Connection::Impl {
    asio::io_context &io;
    const Target &target;
    bool verifyHost;
    std::optional<Stream> stream;
    beast::flat_buffer buffer;

    void close()
    {
        if (stream) {
            beast::error_code ignored;
            beast::get_lowest_layer(*stream).socket().close(ignored);
            stream.reset();
        }
        buffer.clear();
    }
};

Connection::Connection(asio::io_context &io, const Target &target, bool verifyHost)
    : d(std::make_unique<Impl>(Impl{io, target, verifyHost, std::nullopt, {}}))
{
}

Connection::~Connection()
{
    d->close();
}

bool Connection::isOpen() const
{
    return d->stream.has_value();
}

bool Connection::sessionReused() const
{
    return d->stream && SSL_session_reused(d->stream->native_handle()) == 1;
}

SSL_SESSION *Connection::takeSession() const
{
    return d->stream ? SSL_get1_session(d->stream->native_handle()) : nullptr;
}

asio::awaitable<Outcome> Connection::open(asio::ssl::context &tls, Clock::time_point deadline,
                                          const crypto::PrivateKey *key, const crypto::Certificate *certificate,
                                          SSL_SESSION *session)
{
    Outcome result;
    d->close();
    d->stream.emplace(d->io, tls);
    SSL *ssl = d->stream->native_handle();
    Status setup = prepareClientSsl(ssl, d->target, d->verifyHost);
    if (setup && key && certificate)
        setup = useIdentity(ssl, *key, *certificate);
    if (!setup) {
        d->close();
        result.error = "tls setup: " + setup.errorMessage().toStdString();
        co_return result;
    }
    if (session)
        SSL_set_session(ssl, session);

    auto &tcp = beast::get_lowest_layer(*d->stream);
    tcp.expires_at(deadline);
    beast::error_code ec;
    co_await tcp.async_connect(d->target.endpoints, token(ec));
    if (ec) {
        d->close();
        result.error = classify(ec, Stage::Connect);
        co_return result;
    }
    tcp.socket().set_option(asio::ip::tcp::no_delay(true), ec);
    co_await d->stream->async_handshake(asio::ssl::stream_base::client, token(ec));
    if (ec) {
        d->close();
        result.error = classify(ec, Stage::Handshake);
    }
    co_return result;
}

asio::awaitable<Outcome> Connection::exchange(const Request &request, Clock::time_point deadline)
{
    Outcome result;
    if (!d->stream) {
        result.error = "io: not connected";
        co_return result;
    }

    http::request<http::string_body> message(request.post ? http::verb::post : http::verb::get,
                                             d->target.path(request.endpoint), 11);
    message.set(http::field::host, d->target.hostHeader);
    message.set(http::field::user_agent, "imprint-loadgen/" IMPRINT_VERSION);
    if (request.post) {
        message.set(http::field::content_type, "application/json");
        message.body() = request.body;
    }
    message.keep_alive(!request.closeAfter);
    message.prepare_payload();

    auto &tcp = beast::get_lowest_layer(*d->stream);
    tcp.expires_at(deadline);
    beast::error_code ec;
    co_await http::async_write(*d->stream, message, token(ec));
    if (ec) {
        d->close();
        result.error = classify(ec, Stage::Transfer);
        co_return result;
    }

    http::response_parser<http::string_body> parser;
    parser.body_limit(std::uint64_t(protocol::kMaxBodyBytes));
    co_await http::async_read(*d->stream, d->buffer, parser, token(ec));
    if (ec) {
        d->close();
        result.error = classify(ec, Stage::Transfer);
        co_return result;
    }
    tcp.expires_never();

    auto &response = parser.get();
    result.status = int(response.result_int());
    result.body = std::move(response.body());
    if (result.status != 200)
        result.error = "http " + std::to_string(result.status);
    // A server that ends the connection (or was asked to) leaves it to shutdown(); one
    // that breaks keep-alive unasked is reopened by the caller before the next request.
    if (!response.keep_alive() && !request.closeAfter)
        co_await shutdown();
    co_return result;
}

asio::awaitable<void> Connection::shutdown()
{
    if (!d->stream)
        co_return;
    auto &tcp = beast::get_lowest_layer(*d->stream);
    tcp.expires_after(std::chrono::seconds(1));
    beast::error_code ec;
    // Either answer ends it: the peer's close_notify, or the peer closing TCP.
    co_await d->stream->async_shutdown(token(ec));
    d->close();
}

} // namespace imprint::bench
