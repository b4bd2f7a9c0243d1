#pragma once

// Private to core/service: a Beast body type that reads into and writes from a QByteArray,
// so that request and response bodies cross the HttpRequest/HttpResponse boundary by move
// instead of being copied out of a std::string.

#include <QByteArray>

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/optional.hpp>

#include <cstdint>
#include <limits>
#include <utility>

namespace imprint::service::detail {

struct QByteArrayBody {
    using value_type = QByteArray;

    static std::uint64_t size(const value_type &body) { return std::uint64_t(body.size()); }

    class reader {
    public:
        template <bool isRequest, class Fields>
        reader(boost::beast::http::header<isRequest, Fields> &, value_type &body) : m_body(body)
        {
        }

        void init(const boost::optional<std::uint64_t> &contentLength, boost::beast::error_code &ec)
        {
            // The parser has already held Content-Length against its body limit.
            if (contentLength) {
                if (*contentLength > std::uint64_t(std::numeric_limits<int>::max()) / 2) {
                    ec = boost::beast::http::error::buffer_overflow;
                    return;
                }
                m_body.reserve(qsizetype(*contentLength));
            }
            ec = {};
        }

        template <class ConstBufferSequence>
        std::size_t put(const ConstBufferSequence &buffers, boost::beast::error_code &ec)
        {
            std::size_t total = 0;
            for (auto it = boost::asio::buffer_sequence_begin(buffers); it != boost::asio::buffer_sequence_end(buffers);
                 ++it) {
                const boost::asio::const_buffer buffer(*it);
                m_body.append(static_cast<const char *>(buffer.data()), qsizetype(buffer.size()));
                total += buffer.size();
            }
            ec = {};
            return total;
        }

        void finish(boost::beast::error_code &ec) { ec = {}; }

    private:
        value_type &m_body;
    };

    class writer {
    public:
        using const_buffers_type = boost::asio::const_buffer;

        template <bool isRequest, class Fields>
        writer(const boost::beast::http::header<isRequest, Fields> &, const value_type &body) : m_body(body)
        {
        }

        void init(boost::beast::error_code &ec) { ec = {}; }

        boost::optional<std::pair<const_buffers_type, bool>> get(boost::beast::error_code &ec)
        {
            ec = {};
            return {{const_buffers_type(m_body.constData(), std::size_t(m_body.size())), false}};
        }

    private:
        const value_type &m_body;
    };
};

} // namespace imprint::service::detail
