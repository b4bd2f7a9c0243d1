#include "target.h"

#include <boost/asio/io_context.hpp>
#include <boost/system/error_code.hpp>

#include <QUrl>

namespace imprint::bench {

namespace asio = boost::asio;

namespace {

bool isLoopback(const asio::ip::address &address)
{
    if (address.is_v6() && address.to_v6().is_v4_mapped())
        return asio::ip::make_address_v4(asio::ip::v4_mapped, address.to_v6()).is_loopback();
    return address.is_loopback();
}

QString refusal(const QString &host)
{
    return QStringLiteral("refusing to load %1: only loopback targets are allowed (127.0.0.0/8, ::1, localhost); "
                          "run the server on this machine")
        .arg(host);
}

} // namespace

Result<Target> resolveLoopbackTarget(const QString &url)
{
    using R = Result<Target>;
    const QUrl parsed(url, QUrl::StrictMode);
    if (!parsed.isValid() || parsed.host().isEmpty())
        return R::failure(QStringLiteral("--url \"%1\" is not a valid URL").arg(url));
    if (parsed.scheme() != QLatin1String("https"))
        return R::failure(QStringLiteral("--url must be https://..., got scheme \"%1\"").arg(parsed.scheme()));
    if (!parsed.query().isEmpty() || !parsed.fragment().isEmpty() || !parsed.userInfo().isEmpty())
        return R::failure(QStringLiteral("--url must not carry user info, a query or a fragment"));

    Target t;
    t.url = url;
    QString host = parsed.host(QUrl::FullyDecoded).toLower();
    if (host.endsWith(QLatin1Char('.')))
        host.chop(1);
    t.host = host.toStdString();
    t.port = std::uint16_t(parsed.port(443));
    QString path = parsed.path(QUrl::FullyEncoded);
    while (path.endsWith(QLatin1Char('/')))
        path.chop(1);
    t.basePath = path.toStdString();

    boost::system::error_code ec;
    const asio::ip::address literal = asio::ip::make_address(t.host, ec);
    if (!ec) {
        if (!isLoopback(literal))
            return R::failure(refusal(host));
        t.hostIsAddress = true;
        t.endpoints.emplace_back(literal, t.port);
        t.hostHeader = (literal.is_v6() ? "[" + t.host + "]" : t.host) + ":" + std::to_string(t.port);
        return t;
    }
    if (host != QLatin1String("localhost"))
        return R::failure(refusal(host));

    asio::io_context io;
    asio::ip::tcp::resolver resolver(io);
    const auto results = resolver.resolve(t.host, std::to_string(t.port), ec);
    if (ec)
        return R::failure(QStringLiteral("cannot resolve %1: %2").arg(host, QString::fromStdString(ec.message())));
    for (const auto &entry : results) {
        if (!isLoopback(entry.endpoint().address()))
            return R::failure(QStringLiteral("localhost resolves to %1, which is not loopback; refusing to load it")
                                  .arg(QString::fromStdString(entry.endpoint().address().to_string())));
        t.endpoints.push_back(entry.endpoint());
    }
    if (t.endpoints.empty())
        return R::failure(QStringLiteral("localhost resolves to no address"));
    t.hostHeader = t.host + ":" + std::to_string(t.port);
    return t;
}

} // namespace imprint::bench
