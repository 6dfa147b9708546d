#include "cli/context.h"

#include <iostream>

namespace apiary::cli {

store::Catalog& Context::catalog() {
    if (!catalog_) catalog_ = std::make_unique<store::Catalog>(store::DataDir::resolve(data_dir_flag));
    return *catalog_;
}

void print_json(const Json& j) { std::cout << j.dump(2) << "\n"; }

}  // namespace apiary::cli
