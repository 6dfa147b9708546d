// COCO detection json: images[], annotations[] (bbox = [x, y, width, height] in pixels) and
// categories[]. One record per image; an annotation's problem rejects the image it belongs to.
#include <map>
#include <unordered_map>

#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "data/json_fields.h"
#include "data/readers.h"

namespace apiary::data::detail {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const json& array_member(const json& doc, const char* key, const fs::path& file, bool required) {
    static const json empty = json::array();
    const auto it = doc.find(key);
    if (it == doc.end()) {
        if (required) throw Error(Location{file.string(), 0, key}, "COCO json has no '" + std::string(key) + "' array");
        return empty;
    }
    if (!it->is_array()) throw Error(Location{file.string(), 0, key}, "expected an array, got " + describe_json(*it));
    return *it;
}

// file_name is relative to the json's folder, or to an images/ folder beside it.
fs::path image_path(const std::string& file_name, const fs::path& base) {
    const fs::path p(file_name);
    if (p.is_absolute()) return normalise_path(p);
    std::error_code ec;
    if (!fs::exists(base / p, ec) && fs::exists(base / "images" / p, ec)) return normalise_path(base / "images" / p);
    return normalise_path(base / p);
}

std::unordered_map<int64_t, std::string> read_categories(const json& categories) {
    std::unordered_map<int64_t, std::string> out;
    for (const auto& c : categories) {
        if (!c.is_object()) continue;
        const auto id = c.find("id"), name = c.find("name");
        // A broken category surfaces as unknown-class-id on the annotations that use it.
        if (id == c.end() || !id->is_number_integer() || name == c.end() || !name->is_string()) continue;
        out[id->get<int64_t>()] = name->get<std::string>();
    }
    return out;
}

void read_image(const json& img, const std::string& field, const fs::path& base, Record& rec) {
    const auto file_name = string_field(img, "file_name", field + ".file_name", rec);
    if (!file_name) return;
    rec.source_ref = *file_name;
    rec.source_field = field + ".file_name";
    rec.image_path = image_path(*file_name, base);
    if (img.contains("width") || img.contains("height")) {
        const auto w = integer_field(img, "width", field + ".width", rec);
        const auto h = w ? integer_field(img, "height", field + ".height", rec) : std::nullopt;
        if (w && h && *w > 0 && *h > 0 && *w <= INT32_MAX && *h <= INT32_MAX) {
            rec.declared_size = {static_cast<int>(*w), static_cast<int>(*h)};
            rec.size_field = field;
        }
    }
}

void read_annotation(const json& ann, size_t index, const std::unordered_map<int64_t, std::string>& categories,
                     Record& rec) {
    const std::string f = "annotations[" + std::to_string(index) + "]";
    const auto cat = integer_field(ann, "category_id", f + ".category_id", rec);
    if (!cat) return;
    const auto name = categories.find(*cat);
    if (name == categories.end())
        return rec.reject(f + ".category_id", "unknown-class-id", "category id " + std::to_string(*cat) + " is not in categories");
    const auto bbox = ann.find("bbox");
    if (bbox == ann.end()) return rec.reject(f + ".bbox", "missing-field", "required field 'bbox' is missing");
    if (!bbox->is_array() || bbox->size() != 4)
        return rec.reject(f + ".bbox", "invalid-field", "expected [x, y, width, height], got " + describe_json(*bbox));
    double v[4];
    for (size_t k = 0; k < 4; ++k) {
        if (!(*bbox)[k].is_number())
            return rec.reject(f + ".bbox[" + std::to_string(k) + "]", "invalid-field", "expected a number, got " + describe_json((*bbox)[k]));
        v[k] = (*bbox)[k].get<double>();
    }
    const std::string b = f + ".bbox[";
    rec.boxes.push_back({name->second, Box{v[0], v[1], v[2], v[3]}, f, {b + "0]", b + "1]", b + "2]", b + "3]"}, 0});
}

}  // namespace

RawDataset read_coco(const fs::path& json_file) { return read_coco_text(read_file(json_file), json_file); }

RawDataset read_coco_text(std::string_view text, const fs::path& json_file) {
    json doc;
    try {
        doc = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(Location{json_file.string()}, std::string("not valid JSON: ") + e.what());
    }
    if (!doc.is_object()) throw Error(Location{json_file.string()}, "COCO json must be an object with images and annotations");
    const json& images = array_member(doc, "images", json_file, true);
    const json& annotations = array_member(doc, "annotations", json_file, false);
    const auto categories = read_categories(array_member(doc, "categories", json_file, false));
    const fs::path base = normalise_path(json_file).parent_path();

    RawDataset raw;
    raw.records = images.size();
    std::unordered_map<int64_t, size_t> by_id;
    for (size_t i = 0; i < images.size(); ++i) {
        const std::string field = "images[" + std::to_string(i) + "]";
        Record rec{json_file.string()};
        rec.boxes_field = "annotations";
        try {
            const auto id = integer_field(images[i], "id", field + ".id", rec);
            if (id && by_id.count(*id))
                rec.reject(field + ".id", "invalid-field", "image id " + std::to_string(*id) + " is already used by images[" + std::to_string(by_id[*id]) + "]");
            else if (id)
                by_id[*id] = i;
            if (!rec.rejected()) read_image(images[i], field, base, rec);
        } catch (const std::exception& e) {
            rec.reject(field, "malformed-record", e.what());
        }
        raw.items.push_back(std::move(rec));
    }
    for (size_t k = 0; k < annotations.size(); ++k) {
        const std::string f = "annotations[" + std::to_string(k) + "]";
        Record orphan{json_file.string()};
        try {
            const auto image_id = integer_field(annotations[k], "image_id", f + ".image_id", orphan);
            const auto owner = image_id ? by_id.find(*image_id) : by_id.end();
            if (image_id && owner == by_id.end())
                orphan.reject(f + ".image_id", "unknown-image-id", "image id " + std::to_string(*image_id) + " is not in images");
            if (owner != by_id.end() && !raw.items[owner->second].rejected())
                read_annotation(annotations[k], k, categories, raw.items[owner->second]);
        } catch (const std::exception& e) {
            orphan.reject(f, "malformed-record", e.what());
        }
        if (orphan.rejected()) raw.items.push_back(std::move(orphan));
    }
    return raw;
}

}  // namespace apiary::data::detail
