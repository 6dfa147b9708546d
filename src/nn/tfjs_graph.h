#pragma once
// Reader for TensorFlow.js graph models: model.json (graph + weights manifest) and its binary
// weight shards. The result is the node list, for walking the graph, and every weight as a
// float32 or int32 torch::Tensor in TensorFlow's layout (convolutions [kh, kw, in, out]).
//
// Format notes (tfjs-converter "graph-model"):
//   - modelTopology.node[]: {name, op, input[], attr{}}; an attr holds one of
//     s (base64 string), i (int64 as a JSON string), f, b, type, shape, or
//     list {s[], i[], f[], b[], type[]}.
//   - weightsManifest[]: groups of {paths[], weights[]}; weight = {name, shape, dtype,
//     quantization?{dtype: float16|uint8|uint16, scale, min}}. The shards of all groups,
//     read in manifest order, hold the weights back to back with no padding.
#include <torch/torch.h>

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace apiary::nn {

// One decoded node attribute. Only the members the JSON had are set.
struct TfjsAttr {
    std::optional<std::string> s;    // decoded from base64
    std::optional<int64_t> i;
    std::optional<double> f;
    std::optional<bool> b;
    std::optional<std::string> type; // e.g. "DT_FLOAT"
    std::vector<std::string> list_s; // decoded from base64
    std::vector<int64_t> list_i;
    std::vector<double> list_f;
};

struct TfjsNode {
    std::string name;
    std::string op;
    std::vector<std::string> inputs;  // node names, possibly with ":k" (output k) or "^" (control)
    std::map<std::string, TfjsAttr> attrs;

    const TfjsAttr* attr(const std::string& key) const;  // nullptr if absent
    std::string attr_string(const std::string& key, const std::string& fallback = {}) const;
    std::vector<int64_t> attr_ints(const std::string& key) const;         // list.i, empty if absent
    std::vector<std::string> attr_strings(const std::string& key) const;  // list.s, empty if absent
};

struct TfjsGraph {
    std::filesystem::path model_json;  // where it was read from, for error messages
    std::vector<TfjsNode> nodes;       // in file order (topologically sorted by the converter)
    std::map<std::string, torch::Tensor> weights;  // name -> float32/int32 tensor, TF layout, CPU

    const TfjsNode* find_node(const std::string& name) const;  // nullptr if absent
    // The weight called `name`; throws apiary::Error naming model.json and the weight.
    const torch::Tensor& weight(const std::string& name) const;
    // Nodes that take `name` (any of its outputs) as an input.
    std::vector<const TfjsNode*> consumers(const std::string& name) const;
};

// Reads model.json and the shards it names (relative to its folder). Float16 weights are
// widened, uint8/uint16 ones dequantised as q * scale + min, int32 kept as is.
// Throws apiary::Error naming the file and field on a missing file, malformed JSON, an
// unknown dtype or a shard shorter or longer than the manifest says.
TfjsGraph read_tfjs_graph(const std::filesystem::path& model_json);

}  // namespace apiary::nn
