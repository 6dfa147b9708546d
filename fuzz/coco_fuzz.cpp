// COCO detection JSON (`apiary dataset import --format coco`), then the shared validation. A
// document that is unusable as a whole is refused with apiary::Error; otherwise every image
// comes back as a record, kept or rejected with a code.
#include "core/error.h"
#include "data/readers.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::data;
    static const std::filesystem::path dir = apiary::fuzz::image_fixture_dir();
    detail::RawDataset raw;
    try {
        raw = detail::read_coco_text(apiary::fuzz::bytes_of(data, size), dir / "instances.json");
    } catch (const apiary::Error&) {
        return 0;
    }
    APIARY_FUZZ_CHECK(raw.items.size() >= raw.records);  // plus one per orphan annotation
    const ImportReport report = detail::validate(std::move(raw), ValidationLimits{});
    for (const auto& issue : report.issues) APIARY_FUZZ_CHECK(!issue.code.empty());
    for (const auto& entry : report.entries)
        for (const auto& obj : entry.objects) {
            APIARY_FUZZ_CHECK(obj.box.width > 0 && obj.box.height > 0);
            APIARY_FUZZ_CHECK(obj.box.left >= -0.5 && obj.box.right() <= entry.image.width + 0.5);
        }
    return 0;
}
