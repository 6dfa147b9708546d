#pragma once
// Training progress on the terminal: a live bar (epoch, loss, validation AP, ETA) when stderr
// is a terminal, one line per epoch otherwise (logs, CI).
#include <atomic>

#include "train/progress_report.h"

namespace apiary::cli {

train::TrainerCallbacks progress_callbacks();

// Ctrl-C / SIGTERM set this flag (once; a second Ctrl-C kills as usual).
const std::atomic<bool>* install_stop_handler();

}  // namespace apiary::cli
