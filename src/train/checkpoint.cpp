#include "train/checkpoint.h"

#include "core/error.h"
#include "core/files.h"
#include "infer/model_artifact.h"

namespace apiary::train {
namespace fs = std::filesystem;

namespace {
const char* kState = "state.json";
}  // namespace

bool Checkpoint::exists() const { return fs::exists(current() / kState); }

void Checkpoint::save(const CheckpointState& state, const TrainConfig& config, CheckpointParts parts) const {
    const fs::path staging = root_ / "staging";
    std::error_code ec;
    fs::remove_all(staging, ec);  // what a crash during an earlier save left
    create_directories_durably(staging);
    infer::save_weights(staging / "last.pt", parts.net);
    infer::save_weights(staging / "ema.pt", parts.ema);
    write_file_atomic_with(staging / "optimizer.pt",
                           [&](const fs::path& temporary) { torch::save(parts.optimizer, temporary.string()); });
    const Json j = {{"epoch", state.epoch},     {"step", state.step},
                    {"rng", state.rng},         {"history", state.history},
                    {"calibration", state.calibration}, {"head_start", state.head_start},
                    {"config", config.to_json()}};
    write_file_atomic(staging / kState, j.dump(2));
    replace_directory_durably(staging, current());
}

CheckpointState Checkpoint::load(CheckpointParts parts) const {
    const fs::path state_file = current() / kState;
    if (!exists()) throw Error(Location{state_file.string()}, "no checkpoint to resume from");
    CheckpointState s;
    try {
        const Json j = Json::parse(read_file(state_file));
        s.epoch = j.at("epoch");
        s.step = j.at("step");
        s.rng = j.at("rng");
        s.history = j.at("history");
        s.calibration = j.value("calibration", Json());
        s.head_start = j.value("head_start", Json());
    } catch (const Json::exception& e) {
        throw Error(Location{state_file.string()}, std::string("damaged checkpoint state: ") + e.what());
    }
    infer::load_weights(current() / "last.pt", parts.net);
    infer::load_weights(current() / "ema.pt", parts.ema);
    try {
        torch::load(parts.optimizer, (current() / "optimizer.pt").string());
    } catch (const c10::Error&) {
        throw Error(Location{(current() / "optimizer.pt").string()}, "cannot read the optimiser state");
    }
    return s;
}

}  // namespace apiary::train
