// YOLO / Darknet: images/<rel>.jpg with labels/<rel>.txt holding "class cx cy w h" rows in
// fractions of the image size, plus a class-names file. Sub-folders named train/val/test (the
// Ultralytics layout) set the split.
#include <algorithm>
#include <array>

#include "core/error.h"
#include "core/files.h"
#include "data/image_files.h"
#include "data/readers.h"
#include "data/text_fields.h"

namespace apiary::data::detail {
namespace {

namespace fs = std::filesystem;

std::string unquote(std::string s) {
    s = trim(s);
    if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') && s.back() == s.front()) s = s.substr(1, s.size() - 2);
    return s;
}

std::vector<std::string> split_lines(const std::string& text) {
    std::vector<std::string> out;
    size_t pos = 0;
    while (pos < text.size()) {
        const auto nl = text.find('\n', pos);
        out.push_back(text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
        pos = nl == std::string::npos ? text.size() : nl + 1;
    }
    return out;
}

std::vector<std::string> inline_list(const std::string& value) {
    std::vector<std::string> names;
    const auto close = value.find(']');
    const std::string inner = value.substr(1, close == std::string::npos ? std::string::npos : close - 1);
    size_t start = 0;
    while (true) {
        const auto comma = inner.find(',', start);
        std::string item = unquote(inner.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
        if (!item.empty()) names.push_back(std::move(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
    }
    return names;
}

std::vector<std::string> read_names(const fs::path& dir) {
    std::error_code ec;
    for (const char* name : {"classes.txt", "obj.names"})
        if (fs::is_regular_file(dir / name, ec)) return nonblank_lines(read_file(dir / name));
    std::vector<fs::path> others;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".names") others.push_back(it->path());
    std::sort(others.begin(), others.end());
    if (!others.empty()) return nonblank_lines(read_file(others.front()));
    for (const char* name : {"data.yaml", "data.yml", "dataset.yaml"})
        if (fs::is_regular_file(dir / name, ec)) {
            auto names = yolo_names_from_yaml(read_file(dir / name));
            if (names.empty()) throw Error(Location{(dir / name).string(), 0, "names"}, "no class names found");
            return names;
        }
    throw Error(Location{dir.string()}, "YOLO folder has no class names file (classes.txt, *.names or data.yaml)");
}

Split split_of(const fs::path& rel) {
    const std::string top = rel.begin()->string();
    if (top == "train") return Split::Train;
    if (top == "val" || top == "valid" || top == "test") return Split::Test;
    return Split::Unassigned;
}

}  // namespace

void read_yolo_label_text(std::string_view text, const std::vector<std::string>& names, Record& rec) {
    static const std::array<std::string, 4> kFields{"x_center", "y_center", "width", "height"};
    int row = 0;
    for (const std::string& line : split_lines(std::string(text))) {
        ++row;
        const auto tokens = split_whitespace(line);
        if (tokens.empty()) continue;
        rec.line = row;  // issues about this row point at it
        if (tokens.size() != 5)
            return rec.reject("", "invalid-field", "expected 'class x_center y_center width height', got " + std::to_string(tokens.size()) + " values");
        const auto cls = parse_index(tokens[0]);
        if (!cls) return rec.reject("class", "invalid-field", "'" + tokens[0] + "' is not a class index");
        if (static_cast<size_t>(*cls) >= names.size())
            return rec.reject("class", "unknown-class-id",
                              "class " + tokens[0] + " is not in the names file (" + std::to_string(names.size()) + " names)");
        double v[4];
        for (size_t k = 0; k < 4; ++k) {
            const auto n = parse_number(tokens[k + 1]);
            if (!n) return rec.reject(kFields[k], "invalid-field", "'" + tokens[k + 1] + "' is not a number");
            v[k] = *n;
        }
        rec.boxes.push_back({names[static_cast<size_t>(*cls)], Box{v[0] - v[2] / 2, v[1] - v[3] / 2, v[2], v[3]},
                             "row " + std::to_string(row), kFields, row});
    }
    rec.line = 0;
}

// The `names:` entry of a data.yaml, as an inline list, a block list or an index map. Only this
// one key is needed, so a full YAML parser would be a dependency for nothing.
std::vector<std::string> yolo_names_from_yaml(std::string_view text) {
    std::vector<std::string> names;
    bool in_block = false;
    for (const std::string& line : split_lines(std::string(text))) {
        const std::string t = trim(line);
        if (t.empty() || t.front() == '#') continue;
        const bool nested = line.front() == ' ' || line.front() == '\t' || t.front() == '-';
        if (in_block) {
            if (!nested) break;
            if (t.front() == '-') names.push_back(unquote(t.substr(1)));
            else if (const auto colon = t.find(':'); colon != std::string::npos) names.push_back(unquote(t.substr(colon + 1)));
        } else if (!nested && t.starts_with("names:")) {
            const std::string value = trim(t.substr(6));
            if (value.empty()) in_block = true;
            else if (value.front() == '[') return inline_list(value);
            else break;
        }
    }
    return names;
}

RawDataset read_yolo(const fs::path& dir) {
    const fs::path images = dir / "images", labels = dir / "labels";
    std::error_code ec;
    if (!fs::is_directory(images, ec)) throw Error(Location{dir.string()}, "not a YOLO folder: no images/ folder");
    const auto names = read_names(dir);
    const auto files = list_images(images);

    RawDataset raw;
    raw.records = files.size();
    for (const auto& image : files) {
        const fs::path rel = image.lexically_relative(images);
        const fs::path label_file = (labels / rel).replace_extension(".txt");
        Record rec{image.string()};
        rec.image_path = normalise_path(image);
        rec.source_ref = rel.string();
        rec.normalised = true;
        rec.split = split_of(rel);
        try {
            if (fs::is_regular_file(label_file, ec)) {  // no label file: an image with no objects
                rec.file = label_file.string();
                read_yolo_label_text(read_file(label_file), names, rec);
            }
        } catch (const std::exception& e) {
            rec.reject("", "malformed-record", e.what());
        }
        raw.items.push_back(std::move(rec));
    }
    return raw;
}

}  // namespace apiary::data::detail
