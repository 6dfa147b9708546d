// Deleting a project deletes exactly its own tags (project, datasets, versions): never those of
// another project whose name it prefixes, nor of names a LIKE wildcard would match.
#include <gtest/gtest.h>

#include <string>

#include "core/json.h"
#include "store/catalog.h"
#include "support/test_support.h"

namespace apiary::store {
namespace {

TEST(CatalogTags, DeletingAProjectKeepsTheTagsOfProjectsItsNamePrefixes) {
    test::TempDir tmp;
    Catalog c{DataDir(tmp / "data")};
    const auto bee = c.create_project("bee");
    const auto other = c.create_project("bee-detection");
    const auto wildcard = c.create_project("beeXdetection");  // '_' and '%' are LIKE wildcards
    const auto underscore = c.create_project("be_");
    const auto version = c.create_version(bee, "v1", Json::object());
    const auto other_version = c.create_version(other, "v1", Json::object());
    for (const auto* arn : {&bee.arn, &other.arn, &wildcard.arn, &underscore.arn, &version.arn, &other_version.arn})
        c.set_tags(*arn, {{"team", "pollinators"}});

    c.delete_project("bee");
    EXPECT_TRUE(c.tags(bee.arn).empty());
    EXPECT_TRUE(c.tags(version.arn).empty());
    EXPECT_EQ(c.tags(other.arn).size(), 1u);
    EXPECT_EQ(c.tags(other_version.arn).size(), 1u);
    EXPECT_EQ(c.tags(wildcard.arn).size(), 1u);

    c.delete_project("be_");
    EXPECT_TRUE(c.tags(underscore.arn).empty());
    EXPECT_EQ(c.tags(other.arn).size(), 1u) << "be_ as a LIKE pattern matches bee-detection";
}

}  // namespace
}  // namespace apiary::store
