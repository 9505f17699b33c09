/* unit_store: runs every test group of kopa_store. */
#include "tests/unit/store/store_tests.h"

#include <signal.h>

int main(void)
{
    int failed = 0;

    /* hiredis writes with write(2): a peer that went away must not kill us
     * (the server ignores SIGPIPE too). */
    signal(SIGPIPE, SIG_IGN);
    failed += redis_client_tests();
    failed += breakout_store_tests();
    return failed != 0;
}
