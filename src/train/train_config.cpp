#include "train/train_config.h"

#include <cstdint>
#include <type_traits>

#include "core/error.h"

namespace apiary::train {

Json TrainConfig::to_json() const {
    return {{"epochs", epochs},
            {"image_size", image_size},
            {"batch", batch},
            {"lr", lr},
            {"freeze_backbone", freeze_backbone},
            {"augment", augment},
            {"seed", seed},
            {"threads", threads},
            {"validation_percent", validation_percent},
            {"fold_in_epochs", fold_in_epochs},
            {"flip_test", flip_test},
            {"tile_fraction", tile_fraction},
            {"head_start", head_start},
            {"time_budget_s", time_budget_s}};
}

TrainConfig TrainConfig::from_json(const Json& j) {
    TrainConfig c;
    c.epochs = j.value("epochs", c.epochs);
    c.image_size = j.value("image_size", c.image_size);
    c.batch = j.value("batch", c.batch);
    c.lr = j.value("lr", c.lr);
    c.freeze_backbone = j.value("freeze_backbone", c.freeze_backbone);
    c.augment = j.value("augment", c.augment);
    c.seed = j.value("seed", c.seed);
    c.threads = j.value("threads", c.threads);
    c.validation_percent = j.value("validation_percent", c.validation_percent);
    c.fold_in_epochs = j.value("fold_in_epochs", c.fold_in_epochs);
    c.flip_test = j.value("flip_test", c.flip_test);
    // Configurations stored before tiling existed trained on whole images.
    c.tile_fraction = j.value("tile_fraction", 0.0);
    // Configurations stored before head starts were chosen started fresh.
    c.head_start = j.value("head_start", std::string("fresh"));
    c.time_budget_s = j.value("time_budget_s", c.time_budget_s);
    return c;
}

namespace {

template <typename T>
T checked(const Json& options, const std::string& key, const std::string& where, T lo, T hi, const char* what) {
    const Json& v = options.at(key);
    const bool ok = std::is_same_v<T, bool> ? v.is_boolean()
                    : std::is_floating_point_v<T> ? v.is_number()
                                                  : v.is_number_integer();
    if (!ok) throw Error(Location("", 0, where + "." + key), std::string("expected ") + what);
    const T value = v.get<T>();
    if (value < lo || value > hi) throw Error(Location("", 0, where + "." + key), std::string("expected ") + what);
    return value;
}

}  // namespace

TrainConfig TrainConfig::with_options(TrainConfig c, const Json& options, const std::string& where) {
    if (!options.is_object()) throw Error(Location("", 0, where), "expected an object of training options");
    for (const auto& [key, value] : options.items()) {
        if (key == "epochs") c.epochs = checked(options, key, where, 0, 1000, "an integer from 0 (automatic) to 1000");
        else if (key == "image_size") {
            c.image_size = checked(options, key, where, 0, 1536, "0 (automatic) or a multiple of 32 from 64 to 1536");
            if (c.image_size != 0 && (c.image_size < 64 || c.image_size % 32))
                throw Error(Location("", 0, where + "." + key), "expected 0 (automatic) or a multiple of 32 from 64 to 1536");
        } else if (key == "batch") c.batch = checked(options, key, where, 1, 256, "an integer from 1 to 256");
        else if (key == "lr") c.lr = checked(options, key, where, 0.0, 1.0, "a learning rate from 0 (automatic) to 1");
        else if (key == "freeze_backbone") c.freeze_backbone = checked(options, key, where, false, true, "true or false");
        else if (key == "head_start") {
            if (!value.is_string() || (value != "auto" && value != "fresh"))
                throw Error(Location("", 0, where + "." + key), "expected auto or fresh");
            c.head_start = value.get<std::string>();
        } else if (key == "flip_test") c.flip_test = checked(options, key, where, false, true, "true or false");
        else if (key == "augment") {
            if (!value.is_string() || (value != "none" && value != "light" && value != "strong" && value != "auto"))
                throw Error(Location("", 0, where + "." + key), "expected none, light, strong or auto");
            c.augment = value.get<std::string>();
        } else if (key == "seed") c.seed = checked<uint64_t>(options, key, where, 0, UINT64_MAX, "a non-negative integer");
        else if (key == "threads") c.threads = checked(options, key, where, 0, 1024, "an integer from 0 (every core) to 1024");
        else if (key == "validation_percent")
            c.validation_percent = checked(options, key, where, 0.0, 50.0, "a percentage from 0 to 50");
        else if (key == "fold_in_epochs")
            c.fold_in_epochs = checked(options, key, where, -1, 1000, "an integer from -1 (automatic) to 1000");
        else if (key == "tile_fraction") {
            c.tile_fraction = checked(options, key, where, -1.0, 1.0, "-1 (automatic), 0 (whole images) or 0.1 to 1");
            if (c.tile_fraction != -1 && c.tile_fraction != 0 && c.tile_fraction < 0.1)
                throw Error(Location("", 0, where + "." + key), "expected -1 (automatic), 0 (whole images) or 0.1 to 1");
        } else if (key == "time_budget_s")
            c.time_budget_s = checked(options, key, where, 1.0, 7 * 24 * 3600.0, "seconds from 1 to 604800");
        else
            throw Error(Location("", 0, where + "." + key), "unknown training option (known: " + [] {
                const Json known = TrainConfig{}.to_json();
                std::string names;
                for (const auto& [k, v] : known.items()) names += (names.empty() ? "" : ", ") + k;
                return names;
            }() + ")");
    }
    return c;
}

}  // namespace apiary::train
