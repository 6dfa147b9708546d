// YOLO label files ("class cx cy w h" rows) and the `names:` entry of a data.yaml: the same
// bytes go through both, the label rows against the names the yaml gave (or two fixed ones).
#include "data/readers.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    using namespace apiary::data;
    static const std::filesystem::path dir = apiary::fuzz::image_fixture_dir();
    const std::string_view text = apiary::fuzz::bytes_of(data, size);
    auto names = detail::yolo_names_from_yaml(text);
    if (names.empty()) names = {"bee", "flower"};
    detail::Record rec{(dir / "labels" / "a.txt").string()};
    rec.image_path = dir / "images" / "a.jpg";
    rec.source_ref = "a.jpg";
    rec.normalised = true;
    detail::read_yolo_label_text(text, names, rec);
    for (const auto& box : rec.boxes) APIARY_FUZZ_CHECK(box.line > 0);
    detail::RawDataset raw;
    raw.records = 1;
    raw.items.push_back(std::move(rec));
    const ImportReport report = detail::validate(std::move(raw), ValidationLimits{});
    APIARY_FUZZ_CHECK((report.entries.size() == 1) != (report.rejected() > 0));  // kept, or refused with a reason
    return 0;
}
