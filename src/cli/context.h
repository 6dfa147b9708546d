#pragma once
// What every subcommand shares: global flags and the lazily opened catalogue.
#include <memory>
#include <string>

#include "core/json.h"
#include "store/catalog.h"

namespace apiary::cli {

struct Context {
    std::string data_dir_flag;  // --data-dir
    bool json = false;          // --json: machine-readable output

    store::Catalog& catalog();

    // Prints `j` when --json was given, else calls `human()`.
    template <class Human>
    void emit(const Json& j, Human&& human) const;

private:
    std::unique_ptr<store::Catalog> catalog_;
};

void print_json(const Json& j);

template <class Human>
void Context::emit(const Json& j, Human&& human) const {
    if (json)
        print_json(j);
    else
        human();
}

}  // namespace apiary::cli
