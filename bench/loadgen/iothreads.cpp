#include "iothreads.h"

#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <cstdio>
#include <exception>

namespace imprint::bench {

namespace asio = boost::asio;

IoThreads::IoThreads(int count)
{
    for (int i = 0; i < std::max(count, 1); ++i)
        m_workers.push_back(std::make_unique<Worker>());
}

IoThreads::~IoThreads()
{
    for (auto &w : m_workers)
        w->io.stop();
    join();
}

void IoThreads::start()
{
    for (auto &w : m_workers) {
        w->thread = std::thread([io = &w->io] {
            try {
                io->run();
            } catch (const std::exception &e) {
                // A bug, not a measurement: nothing sensible can be reported after it.
                std::fprintf(stderr, "imprint-loadgen: io thread failed: %s\n", e.what());
                std::abort();
            }
        });
    }
}

void IoThreads::join()
{
    for (auto &w : m_workers) {
        if (w->thread.joinable())
            w->thread.join();
    }
}

asio::awaitable<void> IoThreads::waitForStart(int index)
{
    if (m_open.load(std::memory_order_acquire))
        co_return;
    boost::system::error_code ec;
    co_await m_workers[std::size_t(index)]->gate.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

void IoThreads::openGates()
{
    // Waiters that checked the flag before it was set are already suspended on the timer
    // when the posted cancel runs (same thread), so none is missed.
    m_open.store(true, std::memory_order_release);
    for (auto &w : m_workers)
        asio::post(w->io, [worker = w.get()] { worker->gate.cancel(); });
}

} // namespace imprint::bench
