#pragma once

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>;
// include awaitable.hpp only through this header.
#include <utility>

#include <boost/asio/awaitable.hpp>
