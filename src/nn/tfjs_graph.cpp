#include "nn/tfjs_graph.h"

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>

#include "core/error.h"
#include "core/files.h"
#include "core/base64.h"
#include "nn/half.h"

namespace apiary::nn {
namespace fs = std::filesystem;
using nlohmann::json;

// ---------------------------------------------------------------------------------------------
// TfjsNode / TfjsGraph accessors

const TfjsAttr* TfjsNode::attr(const std::string& key) const {
    const auto it = attrs.find(key);
    return it == attrs.end() ? nullptr : &it->second;
}

std::string TfjsNode::attr_string(const std::string& key, const std::string& fallback) const {
    const TfjsAttr* a = attr(key);
    return a && a->s ? *a->s : fallback;
}

std::vector<int64_t> TfjsNode::attr_ints(const std::string& key) const {
    const TfjsAttr* a = attr(key);
    return a ? a->list_i : std::vector<int64_t>{};
}

std::vector<std::string> TfjsNode::attr_strings(const std::string& key) const {
    const TfjsAttr* a = attr(key);
    return a ? a->list_s : std::vector<std::string>{};
}

const TfjsNode* TfjsGraph::find_node(const std::string& name) const {
    for (const auto& node : nodes)
        if (node.name == name) return &node;
    return nullptr;
}

const torch::Tensor& TfjsGraph::weight(const std::string& name) const {
    const auto it = weights.find(name);
    if (it == weights.end())
        throw Error(Location{model_json.string(), 0, "weightsManifest"}, "no weight named '" + name + "'");
    return it->second;
}

std::vector<const TfjsNode*> TfjsGraph::consumers(const std::string& name) const {
    std::vector<const TfjsNode*> out;
    for (const auto& node : nodes) {
        for (std::string input : node.inputs) {
            if (!input.empty() && input[0] == '^') input.erase(0, 1);
            if (const auto colon = input.rfind(':'); colon != std::string::npos) input.resize(colon);
            if (input == name) {
                out.push_back(&node);
                break;
            }
        }
    }
    return out;
}

namespace {

// ---------------------------------------------------------------------------------------------
// JSON helpers: every failure names the file and the JSON path of the offending field.

struct Reader {
    fs::path file;

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
        throw Error(Location{file.string(), 0, field}, reason);
    }

    const json& member(const json& object, const std::string& key, const std::string& field) const {
        if (!object.is_object()) fail(field, "expected a JSON object");
        const auto it = object.find(key);
        if (it == object.end()) fail(field.empty() ? key : field + "." + key, "missing");
        return *it;
    }

    std::string string(const json& value, const std::string& field) const {
        if (!value.is_string()) fail(field, "expected a string");
        return value.get<std::string>();
    }

    // TF serialises int64 as JSON strings ("3"); accept plain numbers too.
    int64_t integer(const json& value, const std::string& field) const {
        if (value.is_number_integer()) return value.get<int64_t>();
        if (value.is_string()) {
            const std::string text = value.get<std::string>();
            try {
                size_t used = 0;
                const long long v = std::stoll(text, &used);
                if (used == text.size()) return v;
            } catch (const std::exception&) {
            }
        }
        fail(field, "expected an integer");
    }

    double number(const json& value, const std::string& field) const {
        if (value.is_number()) return value.get<double>();
        // Non-finite floats appear as strings ("NaN", "Infinity") in protobuf JSON.
        if (value.is_string()) {
            const std::string text = value.get<std::string>();
            if (text == "NaN") return std::nan("");
            if (text == "Infinity") return INFINITY;
            if (text == "-Infinity") return -INFINITY;
        }
        fail(field, "expected a number");
    }

    std::string base64(const json& value, const std::string& field) const {
        const auto decoded = base64_decode(string(value, field));
        if (!decoded) fail(field, "invalid base64");
        return *decoded;
    }
};

TfjsAttr parse_attr(const Reader& r, const json& j, const std::string& field) {
    TfjsAttr a;
    if (!j.is_object()) r.fail(field, "expected a JSON object");
    if (j.contains("s")) a.s = r.base64(j["s"], field + ".s");
    if (j.contains("i")) a.i = r.integer(j["i"], field + ".i");
    if (j.contains("f")) a.f = r.number(j["f"], field + ".f");
    if (j.contains("b")) {
        if (!j["b"].is_boolean()) r.fail(field + ".b", "expected true or false");
        a.b = j["b"].get<bool>();
    }
    if (j.contains("type")) a.type = r.string(j["type"], field + ".type");
    if (j.contains("list")) {
        const json& list = j["list"];
        const std::string lf = field + ".list";
        if (!list.is_object()) r.fail(lf, "expected a JSON object");
        if (list.contains("s"))
            for (size_t k = 0; k < list["s"].size(); ++k)
                a.list_s.push_back(r.base64(list["s"][k], lf + ".s[" + std::to_string(k) + "]"));
        if (list.contains("i"))
            for (size_t k = 0; k < list["i"].size(); ++k)
                a.list_i.push_back(r.integer(list["i"][k], lf + ".i[" + std::to_string(k) + "]"));
        if (list.contains("f"))
            for (size_t k = 0; k < list["f"].size(); ++k)
                a.list_f.push_back(r.number(list["f"][k], lf + ".f[" + std::to_string(k) + "]"));
    }
    return a;
}

std::vector<TfjsNode> parse_nodes(const Reader& r, const json& root) {
    const json& topology = r.member(root, "modelTopology", "");
    const json& nodes = r.member(topology, "node", "modelTopology");
    if (!nodes.is_array()) r.fail("modelTopology.node", "expected an array");

    std::vector<TfjsNode> out;
    out.reserve(nodes.size());
    for (size_t n = 0; n < nodes.size(); ++n) {
        const std::string field = "modelTopology.node[" + std::to_string(n) + "]";
        const json& j = nodes[n];
        TfjsNode node;
        node.name = r.string(r.member(j, "name", field), field + ".name");
        node.op = r.string(r.member(j, "op", field), field + ".op");
        if (j.contains("input")) {
            if (!j["input"].is_array()) r.fail(field + ".input", "expected an array");
            for (size_t k = 0; k < j["input"].size(); ++k)
                node.inputs.push_back(r.string(j["input"][k], field + ".input[" + std::to_string(k) + "]"));
        }
        if (j.contains("attr")) {
            if (!j["attr"].is_object()) r.fail(field + ".attr", "expected a JSON object");
            for (const auto& [key, value] : j["attr"].items())
                node.attrs.emplace(key, parse_attr(r, value, field + ".attr." + key));
        }
        out.push_back(std::move(node));
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Weights

struct WeightEntry {
    std::string field;  // JSON path, for errors
    std::string name;
    std::vector<int64_t> shape;
    std::string dtype;                   // float32 | int32
    std::optional<std::string> quant;    // float16 | uint8 | uint16
    double scale = 1.0, min = 0.0;       // affine dequantisation for uint8/uint16
};

size_t stored_element_size(const Reader& r, const WeightEntry& w) {
    if (w.quant) {
        if (*w.quant == "float16" || *w.quant == "uint16") return 2;
        if (*w.quant == "uint8") return 1;
        r.fail(w.field + ".quantization.dtype", "unsupported quantization dtype '" + *w.quant + "'");
    }
    if (w.dtype == "float32" || w.dtype == "int32") return 4;
    r.fail(w.field + ".dtype", "unsupported dtype '" + w.dtype + "' (expected float32 or int32)");
}

int64_t element_count(const std::vector<int64_t>& shape) {
    int64_t n = 1;
    for (const int64_t d : shape) n *= d;
    return n;
}

// Decodes `count` little-endian elements at `bytes` into a float32 or int32 tensor.
torch::Tensor decode_weight(const WeightEntry& w, const char* bytes) {
    const int64_t count = element_count(w.shape);
    const bool is_int = w.dtype == "int32";
    torch::Tensor t = torch::empty(w.shape, is_int ? torch::kInt32 : torch::kFloat32);

    if (!w.quant) {  // stored as is (the shard is little-endian, like every host we build for)
        std::memcpy(t.data_ptr(), bytes, static_cast<size_t>(count) * 4);
        return t;
    }
    auto store = [&](int64_t k, double v) {
        if (is_int)
            t.data_ptr<int32_t>()[k] = static_cast<int32_t>(std::lround(v));
        else
            t.data_ptr<float>()[k] = static_cast<float>(v);
    };
    const auto* u8 = reinterpret_cast<const unsigned char*>(bytes);
    auto u16 = [u8](int64_t k) { return static_cast<uint16_t>(u8[2 * k] | (u8[2 * k + 1] << 8)); };
    if (*w.quant == "float16") {
        for (int64_t k = 0; k < count; ++k) store(k, half_to_float(u16(k)));
    } else if (*w.quant == "uint16") {  // affine: q * scale + min
        for (int64_t k = 0; k < count; ++k) store(k, u16(k) * w.scale + w.min);
    } else {  // uint8, affine
        for (int64_t k = 0; k < count; ++k) store(k, u8[k] * w.scale + w.min);
    }
    return t;
}

struct Manifest {
    std::vector<fs::path> shards;
    std::vector<WeightEntry> weights;
};

Manifest parse_manifest(const Reader& r, const json& root) {
    const json& groups = r.member(root, "weightsManifest", "");
    if (!groups.is_array()) r.fail("weightsManifest", "expected an array");
    Manifest m;
    const fs::path folder = r.file.parent_path();
    for (size_t g = 0; g < groups.size(); ++g) {
        const std::string gf = "weightsManifest[" + std::to_string(g) + "]";
        const json& paths = r.member(groups[g], "paths", gf);
        if (!paths.is_array()) r.fail(gf + ".paths", "expected an array");
        for (size_t p = 0; p < paths.size(); ++p)
            m.shards.push_back(folder / r.string(paths[p], gf + ".paths[" + std::to_string(p) + "]"));

        const json& weights = r.member(groups[g], "weights", gf);
        if (!weights.is_array()) r.fail(gf + ".weights", "expected an array");
        for (size_t k = 0; k < weights.size(); ++k) {
            WeightEntry w;
            w.field = gf + ".weights[" + std::to_string(k) + "]";
            const json& j = weights[k];
            w.name = r.string(r.member(j, "name", w.field), w.field + ".name");
            w.field += " (" + w.name + ")";
            w.dtype = r.string(r.member(j, "dtype", w.field), w.field + ".dtype");
            const json& shape = r.member(j, "shape", w.field);
            if (!shape.is_array()) r.fail(w.field + ".shape", "expected an array");
            for (size_t d = 0; d < shape.size(); ++d) {
                const int64_t dim = r.integer(shape[d], w.field + ".shape[" + std::to_string(d) + "]");
                if (dim < 0) r.fail(w.field + ".shape", "negative dimension");
                w.shape.push_back(dim);
            }
            if (j.contains("quantization")) {
                const json& q = j["quantization"];
                const std::string qf = w.field + ".quantization";
                w.quant = r.string(r.member(q, "dtype", qf), qf + ".dtype");
                if (*w.quant == "uint8" || *w.quant == "uint16") {
                    w.scale = r.number(r.member(q, "scale", qf), qf + ".scale");
                    w.min = r.number(r.member(q, "min", qf), qf + ".min");
                }
            }
            stored_element_size(r, w);  // validates dtype / quantization now, with the field name
            m.weights.push_back(std::move(w));
        }
    }
    return m;
}

}  // namespace

TfjsGraph read_tfjs_graph(const fs::path& model_json) {
    const Reader r{model_json};
    json root;
    {
        const std::string text = read_file(model_json);  // throws Error naming the path
        try {
            root = json::parse(text);
        } catch (const json::parse_error& e) {
            throw Error(Location{model_json.string()}, std::string("invalid JSON: ") + e.what());
        }
    }

    TfjsGraph graph;
    graph.model_json = model_json;
    graph.nodes = parse_nodes(r, root);
    const Manifest manifest = parse_manifest(r, root);

    // The shards are one byte stream, split only to keep files small for HTTP caching.
    std::string data;
    for (const auto& shard : manifest.shards) data += read_file(shard);
    const std::string shard_names = [&] {
        std::string s;
        for (const auto& p : manifest.shards) s += (s.empty() ? "" : ", ") + p.string();
        return s;
    }();

    size_t offset = 0;
    for (const auto& w : manifest.weights) {
        const size_t bytes = static_cast<size_t>(element_count(w.shape)) * stored_element_size(r, w);
        if (offset + bytes > data.size())
            throw Error(Location{model_json.string(), 0, w.field},
                        "weight needs bytes " + std::to_string(offset) + ".." + std::to_string(offset + bytes) +
                            " but the weight file(s) " + shard_names + " hold only " + std::to_string(data.size()) +
                            " bytes (truncated download?)");
        graph.weights[w.name] = decode_weight(w, data.data() + offset);
        offset += bytes;
    }
    if (offset != data.size())
        throw Error(Location{model_json.string(), 0, "weightsManifest"},
                    "the manifest describes " + std::to_string(offset) + " bytes but the weight file(s) " +
                        shard_names + " hold " + std::to_string(data.size()) +
                        " (weights from a different model?)");
    return graph;
}

}  // namespace apiary::nn
