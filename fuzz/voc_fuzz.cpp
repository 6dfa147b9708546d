// One Pascal VOC annotation (Annotations/<id>.xml), then the shared validation. Malformed XML
// is a rejected record with a code, never a crash.
#include "data/readers.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::data;
    static const std::filesystem::path dir = apiary::fuzz::image_fixture_dir();
    detail::RawDataset raw;
    raw.records = 1;
    raw.items.push_back(
        detail::read_voc_annotation_text(apiary::fuzz::bytes_of(data, size), dir / "Annotations" / "a.xml", dir));
    const ImportReport report = detail::validate(std::move(raw), ValidationLimits{});
    APIARY_FUZZ_CHECK((report.entries.size() == 1) != (report.rejected() > 0));  // kept, or refused with a reason
    for (const auto& entry : report.entries)
        for (const auto& obj : entry.objects) APIARY_FUZZ_CHECK(obj.box.width > 0 && obj.box.height > 0);
    return 0;
}
