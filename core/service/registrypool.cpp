#include "service/registrypool.h"

#include "common/logging.h"

#include <QString>

#include <atomic>

namespace imprint::service {

RegistryPool::RegistryPool(storage::DatabaseUrl url) : m_url(std::move(url)) {}

RegistryPool::~RegistryPool() = default;

Result<storage::Registry *> RegistryPool::forCurrentThread()
{
    const auto id = std::this_thread::get_id();
    std::unique_ptr<storage::Registry> lost;
    {
        std::lock_guard lock(m_mutex);
        if (auto found = m_registries.find(id); found != m_registries.end()) {
            if (!found->second->connectionLost())
                return found->second.get();
            // The database server dropped this connection (restart, failover): the request
            // that saw it failed, this one gets a new connection.
            lost = std::move(found->second);
            m_registries.erase(found);
        }
    }
    if (lost) {
        lost.reset();
        qCWarning(lcService).noquote() << "event=registry_reconnecting database=" + m_url.display();
    }
    static std::atomic<int> counter{0};
    auto opened = storage::Registry::open(m_url, QStringLiteral("worker-%1").arg(counter.fetch_add(1)));
    if (!opened)
        return opened.error();
    std::lock_guard lock(m_mutex);
    auto &slot = m_registries[id];
    slot = std::move(opened).value();
    return slot.get();
}

void RegistryPool::releaseCurrentThread()
{
    std::unique_ptr<storage::Registry> released;
    {
        std::lock_guard lock(m_mutex);
        if (auto found = m_registries.find(std::this_thread::get_id()); found != m_registries.end()) {
            released = std::move(found->second);
            m_registries.erase(found);
        }
    }
}

} // namespace imprint::service
