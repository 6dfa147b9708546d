#include <gtest/gtest.h>

#include <map>
#include <set>

#include "core/error.h"
#include "data/split.h"

using namespace apiary;
using data::Entry;
using data::Split;

namespace {
std::vector<Entry> make_entries(const std::vector<std::vector<std::string>>& labels_per_image) {
    std::vector<Entry> out;
    for (size_t i = 0; i < labels_per_image.size(); ++i) {
        Entry e;
        e.sha256 = "img" + std::to_string(1000 + i);
        e.source_ref = e.sha256 + ".jpg";
        for (const auto& l : labels_per_image[i]) e.objects.push_back({l, Box{0, 0, 10, 10}});
        out.push_back(e);
    }
    return out;
}
std::map<std::string, Split> sides(const std::vector<Entry>& es) {
    std::map<std::string, Split> m;
    for (const auto& e : es) m[e.sha256] = e.split;
    return m;
}
}  // namespace

TEST(Split, ShareAndDeterminism) {
    std::vector<std::vector<std::string>> labels(100, {"bee"});
    auto a = make_entries(labels);
    data::stratified_split(a, 20, 7);
    size_t test = 0;
    for (const auto& e : a) {
        EXPECT_NE(e.split, Split::Unassigned);
        test += e.split == Split::Test;
    }
    EXPECT_EQ(test, 20u);
    auto b = make_entries(labels);
    std::reverse(b.begin(), b.end());  // input order must not matter
    data::stratified_split(b, 20, 7);
    EXPECT_EQ(sides(a), sides(b));
    auto c = make_entries(labels);
    data::stratified_split(c, 20, 8);
    EXPECT_NE(sides(a), sides(c));
}

TEST(Split, EveryLabelWithTwoImagesIsOnBothSides) {
    std::vector<std::vector<std::string>> labels(60, {"common"});
    labels[3] = {"rare"};
    labels[40] = {"rare", "common"};
    labels[10] = {"scarce"};
    labels[11] = {"scarce"};
    labels[12] = {"scarce"};
    labels[50] = {"single"};
    for (uint64_t seed = 0; seed < 50; ++seed) {
        auto es = make_entries(labels);
        data::stratified_split(es, 20, seed);
        std::map<std::string, std::set<Split>> seen;
        for (const auto& e : es)
            for (const auto& l : e.all_labels()) seen[l].insert(e.split);
        for (const char* l : {"common", "rare", "scarce"}) EXPECT_EQ(seen[l].size(), 2u) << l << " seed " << seed;
    }
}

TEST(Split, ExtremesAndBadPercent) {
    auto es = make_entries({{"a"}, {"a"}, {"b"}});
    data::stratified_split(es, 0, 1);
    for (const auto& e : es) EXPECT_EQ(e.split, Split::Train);
    data::stratified_split(es, 100, 1);
    for (const auto& e : es) EXPECT_EQ(e.split, Split::Test);
    EXPECT_THROW(data::stratified_split(es, 120, 1), Error);
}
