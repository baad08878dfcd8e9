// fs/vfs/poll.cpp -- see poll.h. Until poll(2) sleeps, nothing is kept.
#include "fs/vfs/poll.h"

void poll_wait(PollTable* /*table*/, WaitQueue& /*queue*/) {}
