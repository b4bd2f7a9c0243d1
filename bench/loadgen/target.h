#pragma once

#include "common/result.h"

#include <boost/asio/ip/tcp.hpp>

#include <QString>

#include <cstdint>
#include <string>
#include <vector>

namespace imprint::bench {

// Where the load goes: an https URL whose host is on loopback, resolved once.
struct Target {
    QString url;               // as given, for reports
    std::string host;          // host part as in the URL (no brackets), for SNI and name checks
    bool hostIsAddress = false; // an IP literal (no SNI; checked against IP SANs)
    std::uint16_t port = 443;
    std::string basePath;      // path prefix without trailing slash, "" for none
    std::string hostHeader;    // "host:port" as sent in Host
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;

    std::string path(const char *endpoint) const { return basePath + endpoint; }
};

// This workplace forbids generating load against anything but the local machine: the
// URL must be https and its host 127.0.0.0/8, ::1 or localhost (which must itself resolve
// to loopback addresses only). Anything else fails with a message saying so.
Result<Target> resolveLoopbackTarget(const QString &url);

} // namespace imprint::bench
