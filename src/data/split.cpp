#include "data/split.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <set>

#include "core/error.h"

namespace apiary::data {
namespace {

// splitmix64: tiny, well mixed and, unlike std::uniform_int_distribution, the same everywhere.
struct SplitMix64 {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

}  // namespace

void stratified_split(std::vector<Entry>& entries, double test_percent, uint64_t seed) {
    if (!(test_percent >= 0 && test_percent <= 100))
        throw Error(Location{"", 0, "test-percent"}, "must be between 0 and 100");
    const size_t n = entries.size();
    // Order by content, not by input position, so the same images split the same way however
    // they were imported; then shuffle with the seed.
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        return entries[a].sha256 != entries[b].sha256 ? entries[a].sha256 < entries[b].sha256
                                                      : entries[a].source_ref < entries[b].source_ref;
    });
    SplitMix64 rng{seed};
    for (size_t i = n; i > 1; --i) std::swap(order[i - 1], order[rng.below(i)]);

    const size_t test_target = static_cast<size_t>(std::llround(static_cast<double>(n) * test_percent / 100.0));
    std::vector<Split> side(n, Split::Unassigned);
    size_t test_count = 0;

    // Labels from rarest to commonest: a rare label gets its one test and one train image
    // before common labels use up the images that carry it.
    std::map<std::string, std::vector<size_t>> images_of;
    for (size_t i : order)
        for (const auto& l : entries[i].all_labels()) images_of[l].push_back(i);
    std::vector<std::pair<size_t, std::string>> by_rarity;
    for (const auto& [label, imgs] : images_of) by_rarity.emplace_back(imgs.size(), label);
    std::sort(by_rarity.begin(), by_rarity.end());

    if (test_target > 0 && test_target < n) {
        for (const auto& [count, label] : by_rarity) {
            if (count < 2) continue;
            const auto& imgs = images_of[label];
            auto has = [&](Split s) {
                return std::any_of(imgs.begin(), imgs.end(), [&](size_t i) { return side[i] == s; });
            };
            auto assign_first_free = [&](Split s) {
                for (size_t i : imgs)
                    if (side[i] == Split::Unassigned) {
                        side[i] = s;
                        if (s == Split::Test) ++test_count;
                        return;
                    }
            };
            if (!has(Split::Test)) assign_first_free(Split::Test);
            if (!has(Split::Train)) assign_first_free(Split::Train);
        }
    }
    for (size_t i : order) {
        if (side[i] != Split::Unassigned) continue;
        if (test_count < test_target) {
            side[i] = Split::Test;
            ++test_count;
        } else {
            side[i] = Split::Train;
        }
    }
    for (size_t i = 0; i < n; ++i) entries[i].split = side[i];
}

}  // namespace apiary::data
