#include "store/credentials.h"

#include <gtest/gtest.h>

#include <regex>
#include <set>
#include <thread>

#include "store/object_store.h"
#include "support/test_support.h"

using namespace apiary;

TEST(CredentialStore, CreatesKeysInAwsShapeAndShowsTheSecretOnce) {
    test::TempDir tmp;
    store::CredentialStore creds{store::DataDir(tmp / "data")};
    EXPECT_TRUE(creds.empty());
    const auto key = creds.create("ci runner");
    EXPECT_TRUE(std::regex_match(key.id, std::regex("AKIA[A-Z2-7]{16}"))) << key.id;
    EXPECT_TRUE(std::regex_match(key.secret, std::regex("[A-Za-z0-9+/]{40}"))) << key.secret;
    EXPECT_EQ(key.description, "ci runner");
    EXPECT_GT(key.created_ms, 0);
    EXPECT_FALSE(creds.empty());

    const auto listed = creds.list();
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[0].id, key.id);
    EXPECT_EQ(listed[0].description, "ci runner");
    EXPECT_TRUE(listed[0].secret.empty());
    EXPECT_EQ(creds.secret_for(key.id), key.secret);
    EXPECT_FALSE(creds.secret_for("AKIAUNKNOWN"));
}

TEST(CredentialStore, RemovesKeysAndPersists) {
    test::TempDir tmp;
    const store::DataDir dir(tmp / "data");
    std::string kept, removed;
    {
        store::CredentialStore creds(dir);
        kept = creds.create().id;
        removed = creds.create().id;
        EXPECT_TRUE(creds.remove(removed));
        EXPECT_FALSE(creds.remove(removed));
    }
    store::CredentialStore creds(dir);
    store::ObjectStore objects(dir);  // shares the database and its schema
    ASSERT_EQ(creds.list().size(), 1u);
    EXPECT_EQ(creds.list()[0].id, kept);
    EXPECT_TRUE(creds.secret_for(kept));
    EXPECT_FALSE(creds.secret_for(removed));
}

TEST(CredentialStore, ConcurrentCreatesGiveDistinctKeys) {
    test::TempDir tmp;
    store::CredentialStore creds{store::DataDir(tmp / "data")};
    std::vector<std::thread> threads;
    std::mutex mutex;
    std::set<std::string> ids, secrets;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                const auto key = creds.create();
                EXPECT_EQ(creds.secret_for(key.id), key.secret);
                std::lock_guard lock(mutex);
                ids.insert(key.id);
                secrets.insert(key.secret);
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(ids.size(), 100u);
    EXPECT_EQ(secrets.size(), 100u);
    EXPECT_EQ(creds.list().size(), 100u);
}
