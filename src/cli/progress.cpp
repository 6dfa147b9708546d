#include "cli/progress.h"

#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>

namespace apiary::cli {
namespace {

std::atomic<bool> g_stop{false};

void on_signal(int sig) {
    g_stop = true;
    std::signal(sig, SIG_DFL);  // a second Ctrl-C ends the process at once
}

std::string duration(double s) {
    const int total = static_cast<int>(s + 0.5);
    char buf[32];
    if (total >= 3600)
        std::snprintf(buf, sizeof buf, "%dh%02dm", total / 3600, total / 60 % 60);
    else
        std::snprintf(buf, sizeof buf, "%dm%02ds", total / 60, total % 60);
    return buf;
}

std::string bar(double fraction, int width) {
    const int filled = static_cast<int>(fraction * width + 0.5);
    return std::string(size_t(std::max(0, filled)), '#') + std::string(size_t(std::max(0, width - filled)), '.');
}

}  // namespace

const std::atomic<bool>* install_stop_handler() {
    std::signal(SIGINT, on_signal);
    std::signal(SIGTERM, on_signal);
    return &g_stop;
}

train::TrainerCallbacks progress_callbacks() {
    train::TrainerCallbacks cb;
    const bool live = ::isatty(STDERR_FILENO);
    if (live)
        cb.on_step = [](const train::StepReport& r) {
            const double fraction = double(r.step) / double(r.steps);
            std::fprintf(stderr, "\r  epoch %2d/%d [%s] loss %.3f  val %s %s  ETA %s   ", r.epoch, r.epochs,
                         bar(fraction, 24).c_str(), r.loss, r.metric,
                         r.val_ap50 < 0 ? "  -  " : (std::to_string(r.val_ap50).substr(0, 5)).c_str(),
                         duration(r.eta_s).c_str());
            std::fflush(stderr);
        };
    cb.on_epoch = [live](const train::EpochReport& r) {
        const std::string validation = r.folded_in      ? "validation images in training"
                                       : r.val_ap50 < 0 ? "no validation images"
                                                        : std::string("val ") + r.metric + " " +
                                                              std::to_string(r.val_ap50).substr(0, 5);
        char parts[64] = "";
        if (r.loss_parts) std::snprintf(parts, sizeof parts, " (heatmap %.3f, box %.3f)", r.heatmap_loss, r.box_loss);
        std::fprintf(stderr, "%sepoch %2d/%d  loss %.3f%s  %s%s  elapsed %s  ETA %s\n", live ? "\r" : "", r.epoch,
                     r.epochs, r.loss, parts, validation.c_str(),
                     r.calibrated ? ", confidence calibrated" : "", duration(r.elapsed_s).c_str(),
                     duration(r.eta_s).c_str());
    };
    return cb;
}

}  // namespace apiary::cli
