#include "cli/stop_signals.h"

#include <pthread.h>
#include <signal.h>

namespace apiary::cli {
namespace {

sigset_t stop_set() {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    return set;
}

}  // namespace

StopSignals::StopSignals(std::function<void()> on_signal) {
    const sigset_t set = stop_set();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    watcher_ = std::thread([this, set, on_signal = std::move(on_signal)] {
        int sig = 0;
        sigwait(&set, &sig);
        if (fired_.exchange(true)) return;  // woken by the destructor
        on_signal();
    });
}

StopSignals::~StopSignals() {
    // The watcher still waits: wake it with a signal only it takes, telling it not to act.
    if (!fired_.exchange(true)) pthread_kill(watcher_.native_handle(), SIGTERM);
    watcher_.join();
}

}  // namespace apiary::cli
