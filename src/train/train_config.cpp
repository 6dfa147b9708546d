#include "train/train_config.h"

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
    c.time_budget_s = j.value("time_budget_s", c.time_budget_s);
    return c;
}

}  // namespace apiary::train
