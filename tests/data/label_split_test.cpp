// The proportional split of single-label classification datasets.
#include <gtest/gtest.h>

#include <map>

#include "data/label_split.h"

using namespace apiary;

namespace {

std::vector<data::Entry> entries(const std::map<std::string, size_t>& counts) {
    std::vector<data::Entry> out;
    for (const auto& [label, n] : counts)
        for (size_t i = 0; i < n; ++i) {
            data::Entry e;
            e.source_ref = label + std::to_string(i) + ".jpg";
            e.sha256 = std::to_string(std::hash<std::string>{}(e.source_ref));
            e.labels = {label};
            out.push_back(e);
        }
    return out;
}

std::map<std::string, size_t> test_counts(const std::vector<data::Entry>& es) {
    std::map<std::string, size_t> n;
    for (const auto& e : es)
        if (e.split == data::Split::Test) ++n[e.labels[0]];
    return n;
}

}  // namespace

TEST(LabelSplit, EachLabelSendsItsShareToTest) {
    auto es = entries({{"glass", 100}, {"paper", 50}, {"rare", 3}});
    data::label_stratified_split(es, 20, 7);
    const auto n = test_counts(es);
    EXPECT_EQ(n.at("glass"), 20u);
    EXPECT_EQ(n.at("paper"), 10u);
    EXPECT_EQ(n.at("rare"), 1u);  // round(0.6), and at least one on each side
    for (const auto& e : es) EXPECT_NE(e.split, data::Split::Unassigned);
}

TEST(LabelSplit, SameSeedSameSplitWhateverTheOrder) {
    auto a = entries({{"x", 30}, {"y", 30}});
    auto b = a;
    std::reverse(b.begin(), b.end());
    data::label_stratified_split(a, 20, 3);
    data::label_stratified_split(b, 20, 3);
    std::map<std::string, data::Split> sa, sb;
    for (const auto& e : a) sa[e.source_ref] = e.split;
    for (const auto& e : b) sb[e.source_ref] = e.split;
    EXPECT_EQ(sa, sb);
    auto c = entries({{"x", 30}, {"y", 30}});
    data::label_stratified_split(c, 20, 4);
    std::map<std::string, data::Split> sc;
    for (const auto& e : c) sc[e.source_ref] = e.split;
    EXPECT_NE(sa, sc);
}
