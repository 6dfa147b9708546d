// SourceConfinement: the CLI reads any local file a manifest names; a manifest from a remote
// client (ResolverOnly) may name only what the resolver resolves, and its issues never show a
// local path or anything about the files behind refs it was refused.
#include <gtest/gtest.h>

#include "core/files.h"
#include "data/import.h"
#include "data_fixtures.h"

namespace apiary::data {
namespace {

using test::gt_classification;
using test::TempDir;
using test::write_test_image;
using test::write_text;
namespace fs = std::filesystem;

std::string issues_text(const ImportReport& r) {
    std::string out;
    for (const auto& i : r.issues) out += i.str() + "\n";
    return out;
}

// Files outside any bucket, and a "bucket" the resolver serves from a folder of blobs.
struct Machine {
    TempDir dir;
    Machine() {
        write_test_image(dir / "outside/secret.jpg", 100, 100, 1);
        write_test_image(dir / "manifests/relative.jpg", 100, 100, 2);
        write_test_image(dir / "mapped/m.jpg", 100, 100, 3);
        write_test_image(dir / "blobs/0001.jpg", 100, 100, 4);
        fs::rename(dir / "blobs/0001.jpg", dir / "blobs/0001");  // blobs have no extension
        write_text(dir / "blobs/0002", "not an image at all");
    }
    // s3://bucket/good.jpg and s3://bucket/text.jpg exist; other keys of "bucket" do not.
    SourceResolver resolver() const {
        const fs::path blobs = dir / "blobs";
        return [blobs](const std::string& ref) -> std::optional<fs::path> {
            if (!ref.starts_with("s3://bucket/")) return std::nullopt;
            if (ref == "s3://bucket/good.jpg") return blobs / "0001";
            if (ref == "s3://bucket/text.jpg") return blobs / "0002";
            return fs::path{};
        };
    }
    // Every local form a CLI user may write.
    std::vector<std::string> local_refs() const {
        return {(dir / "outside/secret.jpg").string(), "file://" + (dir / "outside/secret.jpg").string(), "relative.jpg",
                "../outside/secret.jpg", "s3://elsewhere/m.jpg"};
    }
    std::string manifest(const std::vector<std::string>& refs) const {
        std::vector<Json> lines;
        for (const auto& ref : refs) lines.push_back(gt_classification(ref, 0, "bee"));
        return test::join_lines(lines);
    }
    ImportOptions options(SourceConfinement confinement) const {
        ImportOptions o;
        o.format = Format::GroundTruth;
        o.resolver = resolver();
        o.confinement = confinement;
        if (confinement == SourceConfinement::LocalFiles) o.maps = {PathMapping::parse("s3://elsewhere=" + (dir / "mapped").string())};
        return o;
    }
};

TEST(SourceConfinement, TheCliStillReadsEveryLocalForm) {
    Machine m;
    write_text(m.dir / "manifests/m.manifest", m.manifest(m.local_refs()) + m.manifest({"s3://bucket/good.jpg"}));
    const ImportReport r = import_dataset(m.dir / "manifests/m.manifest", m.options(SourceConfinement::LocalFiles));
    // The absolute, file:// and ../ refs name one file: the first is imported, the others are duplicates.
    ASSERT_EQ(r.entries.size(), 4u) << issues_text(r);
    EXPECT_EQ(r.entries[0].image_path, m.dir / "outside/secret.jpg");
    EXPECT_EQ(r.entries[1].image_path, m.dir / "manifests/relative.jpg");
    EXPECT_EQ(r.entries[2].image_path, m.dir / "mapped/m.jpg");
    EXPECT_EQ(r.entries[3].image_path, m.dir / "blobs/0001");
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    for (const auto& issue : r.issues) EXPECT_EQ(issue.code, "duplicate-image");
    // The CLI user is told where a missing file was looked for.
    write_text(m.dir / "manifests/missing.manifest", m.manifest({"nowhere.jpg"}));
    const ImportReport missing = import_dataset(m.dir / "manifests/missing.manifest");
    ASSERT_EQ(missing.issues.size(), 1u);
    EXPECT_NE(missing.issues[0].reason.find((m.dir / "manifests/nowhere.jpg").string()), std::string::npos)
        << missing.issues[0].reason;
}

TEST(SourceConfinement, ConfinedEveryLocalFormIsRefusedInTheSameWords) {
    Machine m;
    std::vector<std::string> refs = m.local_refs();
    refs.push_back("/etc/passwd");
    refs.push_back("file:///etc/passwd");
    refs.push_back("../apiary.db");
    refs.push_back((m.dir / "outside/no-such-file.jpg").string());
    refs.push_back("s3://no-such-bucket/good.jpg");
    const ImportReport r =
        import_manifest_text(m.manifest(refs), "Changes.GroundTruth", m.options(SourceConfinement::ResolverOnly));
    EXPECT_TRUE(r.entries.empty());
    ASSERT_EQ(r.issues.size(), refs.size()) << issues_text(r);
    for (size_t i = 0; i < refs.size(); ++i) {
        const Issue& issue = r.issues[i];
        SCOPED_TRACE(refs[i]);
        EXPECT_EQ(issue.file, "Changes.GroundTruth");
        EXPECT_EQ(issue.line, static_cast<int>(i + 1));
        EXPECT_EQ(issue.code, "unmapped-source-ref");
        // The same sentence for an existing and a missing file, without the path.
        EXPECT_EQ(issue.reason, "not an object in this server's buckets; a source-ref must be s3://BUCKET/KEY");
        EXPECT_EQ(issue.field, "source-ref");
    }
}

TEST(SourceConfinement, ConfinedResolvedObjectsImportAndTheirIssuesNameTheRefNotTheBlob) {
    Machine m;
    const ImportReport r = import_manifest_text(m.manifest({"s3://bucket/good.jpg", "s3://bucket/text.jpg", "s3://bucket/gone.jpg"}),
                                                "s3://bucket/train.manifest", m.options(SourceConfinement::ResolverOnly));
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    EXPECT_EQ(r.entries[0].source_ref, "s3://bucket/good.jpg");
    EXPECT_EQ(r.entries[0].image_path, m.dir / "blobs/0001");  // the importer still reads the blob
    ASSERT_EQ(r.issues.size(), 2u) << issues_text(r);
    EXPECT_EQ(r.issues[0].code, "unsupported-format");
    EXPECT_EQ(r.issues[0].line, 2);
    EXPECT_EQ(r.issues[1].reason, "no such object: s3://bucket/gone.jpg");
    for (const auto& issue : r.issues) {
        EXPECT_EQ(issue.file, "s3://bucket/train.manifest");
        EXPECT_EQ(issue.str().find(m.dir.path().string()), std::string::npos) << issue.str();
    }
    EXPECT_NE(r.issues[0].reason.find("s3://bucket/text.jpg"), std::string::npos) << r.issues[0].reason;
}

TEST(SourceConfinement, ADeeplyNestedLineIsMalformedAndTheOthersAreKept) {
    Machine m;
    const std::string deep = "{\"source-ref\": \"s3://bucket/good.jpg\", \"x\": " + std::string(100000, '[') +
                             std::string(100000, ']') + "}\n";
    const ImportReport r = import_manifest_text(deep + m.manifest({"s3://bucket/good.jpg"}), "Changes.GroundTruth",
                                                m.options(SourceConfinement::ResolverOnly));
    ASSERT_EQ(r.entries.size(), 1u) << issues_text(r);
    ASSERT_EQ(r.issues.size(), 1u);
    EXPECT_EQ(r.issues[0].code, "malformed-json");
    EXPECT_EQ(r.issues[0].line, 1);
    EXPECT_NE(r.issues[0].reason.find("64 levels"), std::string::npos) << r.issues[0].reason;
}

}  // namespace
}  // namespace apiary::data
