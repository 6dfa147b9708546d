#include "data/label_split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <string>

#include "core/error.h"

namespace apiary::data {
namespace {

uint64_t splitmix64(uint64_t& state) {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

}  // namespace

void label_stratified_split(std::vector<Entry>& entries, double test_percent, uint64_t seed) {
    if (!(test_percent >= 0 && test_percent <= 100))
        throw Error(Location{"", 0, "test-percent"}, "must be between 0 and 100");
    std::map<std::string, std::vector<size_t>> groups;
    for (size_t i = 0; i < entries.size(); ++i)
        groups[entries[i].labels.empty() ? std::string() : entries[i].labels.front()].push_back(i);
    uint64_t state = seed;
    for (auto& [label, members] : groups) {
        // By content, not input position, so the same images split the same way however imported.
        std::sort(members.begin(), members.end(), [&](size_t a, size_t b) {
            return entries[a].sha256 != entries[b].sha256 ? entries[a].sha256 < entries[b].sha256
                                                          : entries[a].source_ref < entries[b].source_ref;
        });
        for (size_t i = members.size(); i > 1; --i) std::swap(members[i - 1], members[size_t(splitmix64(state) % i)]);
        const size_t n = members.size();
        size_t test = size_t(std::llround(double(n) * test_percent / 100.0));
        if (n >= 2 && test_percent > 0 && test_percent < 100) test = std::clamp<size_t>(test, 1, n - 1);
        for (size_t k = 0; k < n; ++k) entries[members[k]].split = k < test ? Split::Test : Split::Train;
    }
}

}  // namespace apiary::data
