#include "store/resplit.h"

#include <iterator>

#include "core/error.h"
#include "data/split.h"

namespace apiary::store {

SplitCounts resplit_project(Catalog& catalog, const ProjectInfo& project, double test_percent, uint64_t seed) {
    if (!(test_percent > 0 && test_percent < 100)) throw Error("the test share must be between 0 and 100 percent");
    const auto datasets = catalog.datasets(project);
    if (datasets.empty()) throw NotFound("project '" + project.name + "' has no datasets yet; import images first");
    std::vector<data::Entry> all;
    for (const auto& d : datasets) {
        auto entries = catalog.entries(d);
        all.insert(all.end(), std::make_move_iterator(entries.begin()), std::make_move_iterator(entries.end()));
    }
    data::stratified_split(all, test_percent, seed);
    catalog.redistribute(project, all);
    SplitCounts counts;
    for (const auto& e : all) ++(e.split == data::Split::Test ? counts.test : counts.train);
    return counts;
}

}  // namespace apiary::store
