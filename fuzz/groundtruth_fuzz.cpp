// Ground Truth manifests (JSON Lines), as `apiary dataset import --manifest` and the API's
// CreateDataset/UpdateDatasetEntries read them, then the validation every format shares. Each
// line must come back as one record, kept or rejected with a code: never a crash or an
// exception escaping the reader.
#include "data/readers.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::data;
    static const std::filesystem::path dir = apiary::fuzz::image_fixture_dir();
    static const ImportOptions options = [] {
        ImportOptions o;
        o.maps.push_back(PathMapping{"s3://fuzz-bucket/", dir});
        return o;
    }();
    auto raw = detail::read_groundtruth_text(apiary::fuzz::bytes_of(data, size), dir / "output.manifest", options);
    APIARY_FUZZ_CHECK(raw.items.size() == raw.records);
    const size_t records = raw.records;
    const ImportReport report = detail::validate(std::move(raw), options.limits);
    APIARY_FUZZ_CHECK(report.entries.size() + report.rejected() <= records);
    for (const auto& issue : report.issues) APIARY_FUZZ_CHECK(!issue.code.empty());
    for (const auto& entry : report.entries)
        for (const auto& obj : entry.objects) {
            APIARY_FUZZ_CHECK(obj.box.width > 0 && obj.box.height > 0);
            APIARY_FUZZ_CHECK(obj.box.left >= -0.5 && obj.box.right() <= entry.image.width + 0.5);
            APIARY_FUZZ_CHECK(obj.box.top >= -0.5 && obj.box.bottom() <= entry.image.height + 0.5);
        }
    return 0;
}
