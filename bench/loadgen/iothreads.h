#pragma once

#include "awaitable.h"
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <atomic>
#include <memory>
#include <thread>
#include <vector>

namespace imprint::bench {

// One io_context per thread; a connection is spawned on one of them and stays there, so
// its state needs no locking. Each context has a start gate that connections wait at
// until the control thread opens it.
class IoThreads {
public:
    explicit IoThreads(int count);
    ~IoThreads();
    IoThreads(const IoThreads &) = delete;
    IoThreads &operator=(const IoThreads &) = delete;

    int size() const { return int(m_workers.size()); }
    boost::asio::io_context &context(int index) { return m_workers[std::size_t(index)]->io; }

    // Runs every context on its own thread until it runs out of work.
    void start();
    void join();

    // Suspends until openGates() (at once if already open). Call on context(index)'s thread.
    boost::asio::awaitable<void> waitForStart(int index);
    void openGates();

private:
    struct Worker {
        boost::asio::io_context io{1};
        boost::asio::steady_timer gate{io, boost::asio::steady_timer::time_point::max()};
        std::thread thread;
    };
    std::vector<std::unique_ptr<Worker>> m_workers;
    std::atomic<bool> m_open{false};
};

} // namespace imprint::bench
