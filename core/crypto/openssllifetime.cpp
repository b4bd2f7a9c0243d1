// Compiled into every program that links imprint-core (an INTERFACE source of the
// library), so that the choice below is made before anything initialises OpenSSL.
//
// By default OpenSSL 3 frees its global state from an atexit() handler. Qt's network
// threads (QNetworkAccessManager's HTTP thread in particular) are waited for but not
// joined, so such a thread can still be running OpenSSL's per-thread destructor while
// the main thread is inside that atexit() handler; both free the same thread-event list
// and the process dies with "double free or corruption" after its work is done
// (openssl/openssl#6214, #17469). The process is ending anyway: let the kernel reclaim
// the memory and never run OPENSSL_cleanup() at exit.
#include <QtGlobal>

#include <openssl/crypto.h>

namespace {

void keepOpensslUntilExit()
{
    OPENSSL_init_crypto(OPENSSL_INIT_NO_ATEXIT, nullptr);
}

} // namespace

Q_CONSTRUCTOR_FUNCTION(keepOpensslUntilExit)
