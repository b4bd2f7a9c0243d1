#pragma once

#include "common/result.h"
#include "storage/databaseurl.h"
#include "storage/registry.h"

#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>

namespace imprint::service {

// One registry connection per worker thread, opened on first use: QtSql connections
// must stay on the thread that opened them, and separate connections let SQLite (WAL)
// and PostgreSQL serve the threads concurrently.
class RegistryPool {
public:
    explicit RegistryPool(storage::DatabaseUrl url);
    ~RegistryPool();

    // The calling thread's registry; an error when the database cannot be opened. A registry
    // whose connection was lost is replaced by a new one here.
    Result<storage::Registry *> forCurrentThread();

    // Closes the connection of the calling thread (call it on each worker before it ends).
    void releaseCurrentThread();

private:
    storage::DatabaseUrl m_url;
    std::mutex m_mutex;
    std::unordered_map<std::thread::id, std::unique_ptr<storage::Registry>> m_registries;
};

} // namespace imprint::service
