// A program linked like every Imprint program (against imprint-core) that reports, from
// the very last exit handler, whether OpenSSL's global state was torn down at exit.
// tst_crypto runs it: see openssllifetime.cpp for why that teardown must not happen.
#include "crypto/digest.h"

#include <openssl/crypto.h>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {

void checkOpensslStillAlive()
{
    // After OPENSSL_cleanup() every initialisation call fails.
    if (OPENSSL_init_crypto(0, nullptr) != 1) {
        std::fputs("OpenSSL was cleaned up by an exit handler\n", stderr);
        _exit(3);
    }
}

// Runs before all default-priority static initialisers, so that its exit handler is
// registered before (and therefore runs after) any that OpenSSL registers itself.
__attribute__((constructor(101))) void registerLastExitHandler()
{
    std::atexit(checkOpensslStillAlive);
}

} // namespace

int main()
{
    // Use OpenSSL the way the programs do, so that it is initialised by now in any case.
    const QByteArray digest = imprint::crypto::sha256(QByteArrayLiteral("imprint"));
    std::printf("%d\n", int(digest.size()));
    return 0;
}
