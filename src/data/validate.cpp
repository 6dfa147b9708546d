// The rules every format shares: the image must exist and be a whole JPEG/PNG within the
// service's limits, boxes must lie inside it, and each image is imported once.
#include <cmath>
#include <iomanip>
#include <sstream>
#include <unordered_map>
#include <unordered_set>

#include "data/image_facts.h"
#include "data/readers.h"
#include "core/utf8.h"

namespace apiary::data::detail {
namespace {

using vision::ImageFormat;

// Box edges may overshoot the image by rounding (e.g. a right edge of 450.4 on a 450 px image).
constexpr double kEdgeTolerance = 0.5;

std::string num(double v) {
    std::ostringstream s;
    s << std::setprecision(10) << v;
    return s.str();
}

std::string size_text(int w, int h) { return std::to_string(w) + "x" + std::to_string(h); }

class Validator {
public:
    Validator(const ValidationLimits& limits, std::unordered_map<std::string, ImageFacts> facts, ImportReport& report)
        : limits_(limits), facts_(std::move(facts)), report_(report) {}

    void add(Record& rec) {
        std::optional<Entry> entry;
        if (!rec.rejected()) {
            try {
                entry = check(rec);
            } catch (const std::exception& e) {
                rec.reject("", "malformed-record", e.what());
            }
        }
        // Kept issues only make sense next to an entry that was kept.
        const bool keep = entry && !rec.rejected();
        for (auto& issue : rec.problems) {
            if (issue.kept != keep) continue;
            for (std::string* text : {&issue.file, &issue.field, &issue.reason}) *text = valid_utf8(*text);
            report_.issues.push_back(std::move(issue));
        }
        if (!keep) return;
        const size_t index = report_.entries.size();
        seen_paths_.emplace(entry->image_path.string(), index);
        seen_content_.emplace(entry->sha256, index);
        origins_.push_back(origin(rec));
        report_.entries.push_back(std::move(*entry));
    }

private:
    static std::string origin(const Record& rec) {
        std::string where = rec.file;
        if (rec.line > 0) where.append(":").append(std::to_string(rec.line));
        return where.append(" (").append(rec.source_ref).append(")");
    }

    void box_issue(Record& rec, const SourceBox& sb, const std::string& field, std::string code, std::string reason, bool kept) {
        rec.problems.push_back(Issue{rec.file, sb.line ? sb.line : rec.line, field, std::move(code), std::move(reason), kept});
    }

    // A file cut short is rejected, unless it is a JPEG missing only a sliver of its last blocks.
    bool accept_truncated(Record& rec, const ImageFacts& f) {
        const std::string path = rec.image_shown.empty() ? rec.image_path.string() : rec.image_shown;
        if (f.info.format == ImageFormat::Png) {
            rec.reject(rec.source_field, "image-undecodable", "file is cut short (no PNG IEND chunk): " + path);
            return false;
        }
        const std::string share = num(std::floor(f.jpeg_coverage * 1000) / 10) + "% of the image data";
        if (f.jpeg_coverage < kMinJpegCoverage) {
            rec.reject(rec.source_field, "image-undecodable",
                       "file is cut short (no JPEG end-of-image marker" + (f.jpeg_coverage > 0 ? "; only " + share + " present" : std::string()) + "): " + path);
            return false;
        }
        rec.problems.push_back(Issue{rec.file, rec.line, rec.source_field, "image-truncated",
                                     "file is cut short (no JPEG end-of-image marker) but holds " + share + "; decoders fill the rest: " + path, true});
        return true;
    }

    bool check_image(Record& rec, const ImageFacts& f) {
        const std::string& field = rec.source_field;
        const std::string path = rec.image_shown.empty() ? rec.image_path.string() : rec.image_shown;
        const auto& info = f.info;
        switch (f.state) {
            case ImageFacts::State::Missing: rec.reject(field, "image-missing", "image file not found: " + path); return false;
            case ImageFacts::State::NotAFile: rec.reject(field, "image-missing", "not a regular file: " + path); return false;
            case ImageFacts::State::Unreadable:
                rec.reject(field, "image-undecodable", "cannot read the image header of " + path + ": " + f.error);
                return false;
            case ImageFacts::State::Probed: break;
        }
        if (info.format != ImageFormat::Jpeg && info.format != ImageFormat::Png) {
            rec.reject(field, "unsupported-format",
                       info.format == ImageFormat::Unknown ? "not a JPEG or PNG image: " + path
                                                           : "image is " + vision::to_string(info.format) + "; only JPEG and PNG are supported: " + path);
            return false;
        }
        if (!info.complete && !accept_truncated(rec, f)) return false;
        if (info.bytes > limits_.max_file_bytes) {
            rec.reject(field, "file-too-large",
                       "file is " + std::to_string(info.bytes) + " bytes; the limit is " + std::to_string(limits_.max_file_bytes) + ": " + path);
            return false;
        }
        if (std::min(info.width, info.height) < limits_.min_side) {
            rec.reject(field, "image-too-small",
                       "image is " + size_text(info.width, info.height) + "; each side must be at least " + std::to_string(limits_.min_side) + " pixels");
            return false;
        }
        if (std::max(info.width, info.height) > limits_.max_side) {
            rec.reject(field, "image-too-large",
                       "image is " + size_text(info.width, info.height) + "; each side must be at most " + std::to_string(limits_.max_side) + " pixels");
            return false;
        }
        if (rec.declared_size && *rec.declared_size != std::pair{info.width, info.height}) {
            const auto [w, h] = *rec.declared_size;
            std::string reason = "annotation says " + size_text(w, h) + " but the image is " + size_text(info.width, info.height);
            if (info.exif_orientation >= 5 && w == info.height && h == info.width)
                reason += " (EXIF orientation " + std::to_string(info.exif_orientation) + " rotates it on display; boxes must use the stored size)";
            rec.reject(rec.size_field, "image-size-mismatch", reason);
            return false;
        }
        return true;
    }

    // Boxes in pixels; drops zero-area boxes with a kept issue.
    std::optional<std::vector<ObjectBox>> check_boxes(Record& rec, int width, int height) {
        std::vector<ObjectBox> out;
        for (const SourceBox& sb : rec.boxes) {
            Box b = sb.box;
            if (rec.normalised) b = Box{b.left * width, b.top * height, b.width * width, b.height * height};
            const auto& [left_f, top_f, right_f, bottom_f] = sb.edge_fields;
            auto fail = [&](const std::string& field, std::string code, std::string reason) {
                box_issue(rec, sb, field, std::move(code), std::move(reason), false);
                return std::nullopt;
            };
            if (!std::isfinite(b.left) || !std::isfinite(b.top) || !std::isfinite(b.width) || !std::isfinite(b.height))
                return fail(sb.field, "invalid-field", "box coordinates are out of range");
            if (b.width < 0) return fail(right_f, "invalid-field", "box width " + num(b.width) + " is negative");
            if (b.height < 0) return fail(bottom_f, "invalid-field", "box height " + num(b.height) + " is negative");
            if (b.width == 0 || b.height == 0) {
                box_issue(rec, sb, sb.field, "zero-area-box",
                          "box " + num(b.width) + "x" + num(b.height) + " at (" + num(b.left) + ", " + num(b.top) + ") has zero area; box dropped",
                          true);
                continue;
            }
            if (b.left < -kEdgeTolerance) return fail(left_f, "box-outside-image", "box left edge " + num(b.left) + " < 0");
            if (b.top < -kEdgeTolerance) return fail(top_f, "box-outside-image", "box top edge " + num(b.top) + " < 0");
            if (b.right() > width + kEdgeTolerance)
                return fail(right_f, "box-outside-image", "box right edge " + num(b.right()) + " > image width " + std::to_string(width));
            if (b.bottom() > height + kEdgeTolerance)
                return fail(bottom_f, "box-outside-image", "box bottom edge " + num(b.bottom()) + " > image height " + std::to_string(height));
            out.push_back({sb.label, b});
        }
        if (out.size() > static_cast<size_t>(limits_.max_boxes)) {
            rec.reject(rec.boxes_field, "too-many-boxes",
                       std::to_string(out.size()) + " boxes; at most " + std::to_string(limits_.max_boxes) + " are allowed per image");
            return std::nullopt;
        }
        if (out.size() > static_cast<size_t>(ValidationLimits::kReferenceMaxBoxes))
            rec.problems.push_back(Issue{rec.file, rec.line, rec.boxes_field, "many-boxes",
                                         std::to_string(out.size()) + " boxes; the reference service refuses images with more than " +
                                             std::to_string(ValidationLimits::kReferenceMaxBoxes),
                                         true});
        return out;
    }

    std::optional<Entry> check(Record& rec) {
        const std::string key = rec.image_path.string();
        if (const auto first = seen_paths_.find(key); first != seen_paths_.end()) {
            rec.reject(rec.source_field, "duplicate-image", "same image file as " + origins_[first->second] + ", imported earlier");
            return std::nullopt;
        }
        const ImageFacts& facts = facts_.at(key);
        if (!check_image(rec, facts)) return std::nullopt;
        auto objects = check_boxes(rec, facts.info.width, facts.info.height);
        if (!objects) return std::nullopt;
        if (const auto first = seen_content_.find(facts.sha256); first != seen_content_.end())
            // Byte-identical files under different names are reported, not dropped: real datasets
            // have them (kangaroo 00007/00033) and each carries its own labels.
            rec.problems.push_back(Issue{rec.file, rec.line, rec.source_field, "duplicate-image",
                                         "same content (sha256 " + facts.sha256.substr(0, 12) + "...) as " + origins_[first->second], true});
        Entry e;
        e.source_ref = rec.source_ref;
        e.image_path = rec.image_path;
        e.image = facts.info;
        e.sha256 = facts.sha256;
        e.objects = std::move(*objects);
        e.labels = rec.labels;
        e.split = rec.split;
        e.label_attribute = rec.label_attribute;
        e.label_metadata = rec.label_metadata;
        return e;
    }

    const ValidationLimits& limits_;
    std::unordered_map<std::string, ImageFacts> facts_;
    ImportReport& report_;
    std::unordered_map<std::string, size_t> seen_paths_;
    std::unordered_map<std::string, size_t> seen_content_;
    std::vector<std::string> origins_;
};

}  // namespace

ImportReport validate(RawDataset raw, const ValidationLimits& limits) {
    std::vector<std::filesystem::path> paths;
    std::unordered_set<std::string> distinct;
    for (const auto& rec : raw.items)
        if (!rec.rejected() && distinct.insert(rec.image_path.string()).second) paths.push_back(rec.image_path);

    ImportReport report;
    report.task = raw.task;
    report.records = raw.records;
    Validator v(limits, gather_image_facts(paths, limits), report);
    for (auto& rec : raw.items) v.add(rec);
    return report;
}

}  // namespace apiary::data::detail
