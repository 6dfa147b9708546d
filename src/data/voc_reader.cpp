// Pascal VOC: Annotations/<id>.xml per image, images in JPEGImages/, optional split lists in
// ImageSets/Main/. Coordinates are taken as written (VOC's 1-based pixel convention is not
// shifted), so a box round-trips unchanged.
#include <algorithm>
#include <set>

#include <pugixml.hpp>

#include "core/error.h"
#include "core/files.h"
#include "data/readers.h"
#include "data/text_fields.h"

namespace apiary::data::detail {
namespace {

namespace fs = std::filesystem;

std::set<std::string> read_id_list(const fs::path& file) {
    std::set<std::string> ids;
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return ids;
    // Per-class lists ("<id> 1") share the folder; the first column is always the id.
    for (const auto& line : nonblank_lines(read_file(file))) ids.insert(split_whitespace(line).front());
    return ids;
}

struct SplitLists {
    std::set<std::string> train, test;

    Split of(const std::string& id) const {
        // An image listed on both sides is kept out of training, where it would leak into the test score.
        if (test.count(id)) return Split::Test;
        if (train.count(id)) return Split::Train;
        return Split::Unassigned;
    }
};

SplitLists read_splits(const fs::path& dir) {
    const fs::path main = dir / "ImageSets" / "Main";
    SplitLists s;
    for (const char* name : {"train.txt", "val.txt", "trainval.txt"}) s.train.merge(read_id_list(main / name));
    s.test = read_id_list(main / "test.txt");
    return s;
}

std::optional<double> coordinate(const pugi::xml_node& bndbox, const char* name, const std::string& field, Record& rec) {
    const pugi::xml_node n = bndbox.child(name);
    if (!n) {
        rec.reject(field, "missing-field", std::string("<") + name + "> is missing");
        return std::nullopt;
    }
    const std::string text = trim(n.child_value());
    const auto v = parse_number(text);
    if (!v) rec.reject(field, "invalid-field", "'" + text + "' is not a number");
    return v;
}

void read_size(const pugi::xml_node& root, Record& rec) {
    const pugi::xml_node size = root.child("size");
    const auto w = parse_number(trim(size.child("width").child_value()));
    const auto h = parse_number(trim(size.child("height").child_value()));
    // Many VOC exporters write 0 or leave <size> out; only a stated size can disagree with the image.
    if (w && h && *w > 0 && *h > 0 && *w < 1e9 && *h < 1e9) {
        rec.declared_size = {static_cast<int>(*w), static_cast<int>(*h)};
        rec.size_field = "size";
    }
}

fs::path image_for(const pugi::xml_node& root, const fs::path& dir, const fs::path& xml) {
    const fs::path images = dir / "JPEGImages";
    const std::string filename = trim(root.child("filename").child_value());
    const std::string path = trim(root.child("path").child_value());
    std::error_code ec;
    std::vector<fs::path> candidates;
    if (!filename.empty()) candidates.push_back(images / filename);
    if (!path.empty()) candidates.push_back(fs::path(path).is_absolute() ? fs::path(path) : dir / path);
    for (const char* ext : {".jpg", ".jpeg", ".png"}) candidates.push_back(images / (xml.stem().string() + ext));
    for (const auto& c : candidates)
        if (fs::is_regular_file(c, ec)) return c;
    return candidates.front();  // reported as missing under the name the annotation gave
}

void read_objects(const pugi::xml_node& root, Record& rec) {
    rec.boxes_field = "object";
    size_t i = 0;
    for (const pugi::xml_node obj : root.children("object")) {
        const std::string f = "object[" + std::to_string(i++) + "]";
        const std::string name = trim(obj.child("name").child_value());
        if (name.empty()) return rec.reject(f + ".name", "missing-field", "object has no <name>");
        const pugi::xml_node bb = obj.child("bndbox");
        if (!bb) return rec.reject(f + ".bndbox", "missing-field", "object has no <bndbox>");
        const std::string b = f + ".bndbox.";
        const auto x0 = coordinate(bb, "xmin", b + "xmin", rec);
        const auto y0 = x0 ? coordinate(bb, "ymin", b + "ymin", rec) : std::nullopt;
        const auto x1 = y0 ? coordinate(bb, "xmax", b + "xmax", rec) : std::nullopt;
        const auto y1 = x1 ? coordinate(bb, "ymax", b + "ymax", rec) : std::nullopt;
        if (!y1) return;
        rec.boxes.push_back({name, Box::from_corners(*x0, *y0, *x1, *y1), f, {b + "xmin", b + "ymin", b + "xmax", b + "ymax"}, 0});
    }
}

}  // namespace

Record read_voc_annotation_text(std::string_view text, const fs::path& xml, const fs::path& dir) {
    Record rec{xml.string()};
    pugi::xml_document doc;
    const pugi::xml_parse_result parsed = doc.load_buffer(text.data(), text.size());
    if (!parsed) {
        rec.reject("", "malformed-xml", std::string(parsed.description()) + " at byte " + std::to_string(parsed.offset));
        return rec;
    }
    const pugi::xml_node root = doc.child("annotation");
    if (!root) {
        rec.reject("", "malformed-xml", "no <annotation> root element");
        return rec;
    }
    rec.image_path = normalise_path(image_for(root, dir, xml));
    rec.source_ref = rec.image_path.string();
    rec.source_field = "filename";
    read_size(root, rec);
    read_objects(root, rec);
    return rec;
}

namespace {

Record read_annotation(const fs::path& xml, const fs::path& dir, const SplitLists& splits) {
    Record rec = read_voc_annotation_text(read_file(xml), xml, dir);
    rec.split = splits.of(xml.stem().string());
    return rec;
}

}  // namespace

RawDataset read_voc(const fs::path& dir) {
    const fs::path annotations = dir / "Annotations";
    std::error_code ec;
    if (!fs::is_directory(annotations, ec)) throw Error(Location{dir.string()}, "not a Pascal VOC folder: no Annotations/ folder");
    std::vector<fs::path> xmls;
    for (fs::directory_iterator it(annotations, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".xml") xmls.push_back(it->path());
    if (ec) throw Error(Location{annotations.string()}, "cannot list folder: " + ec.message());
    std::sort(xmls.begin(), xmls.end());

    const SplitLists splits = read_splits(dir);
    RawDataset raw;
    raw.records = xmls.size();
    for (const auto& xml : xmls) {
        try {
            raw.items.push_back(read_annotation(xml, dir, splits));
        } catch (const std::exception& e) {
            Record rec{xml.string()};
            rec.reject("", "malformed-record", e.what());
            raw.items.push_back(std::move(rec));
        }
    }
    return raw;
}

}  // namespace apiary::data::detail
