#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "core/error.h"
#include "nn/tfjs_graph.h"
#include "support/test_support.h"

namespace apiary::nn {
namespace {

namespace fs = std::filesystem;
using test::TempDir;
using test::write_text;

// A small graph-model in the shape tfjs-converter writes: a fused conv with base64 string
// attributes, and five weights of every storage kind spread over three shards in two groups.
const char* kModelJson = R"({
  "format": "graph-model",
  "modelTopology": {
    "node": [
      {"name": "x", "op": "Placeholder", "attr": {"dtype": {"type": "DT_FLOAT"}}},
      {"name": "w16", "op": "Const"},
      {"name": "b", "op": "Const"},
      {"name": "conv", "op": "_FusedConv2D", "input": ["x", "w16", "b"],
       "attr": {
         "padding": {"s": "U0FNRQ=="},
         "data_format": {"s": "TkhXQw=="},
         "fused_ops": {"list": {"s": ["Qmlhc0FkZA==", "UmVsdQ=="]}},
         "strides": {"list": {"i": ["1", "2", "2", "1"]}},
         "num_args": {"i": "1"},
         "epsilon": {"f": 0.001},
         "use_cudnn_on_gpu": {"b": true},
         "T": {"type": "DT_FLOAT"}
       }},
      {"name": "out", "op": "Identity", "input": ["conv:0"]}
    ],
    "library": {}, "versions": {}
  },
  "weightsManifest": [
    {"paths": ["group1-shard1of2.bin", "group1-shard2of2.bin"],
     "weights": [
       {"name": "w16", "shape": [2, 2], "dtype": "float32",
        "quantization": {"dtype": "float16", "original_dtype": "float32"}},
       {"name": "q8", "shape": [3], "dtype": "float32",
        "quantization": {"dtype": "uint8", "scale": 0.5, "min": -1.0, "original_dtype": "float32"}}
     ]},
    {"paths": ["group2-shard1of1.bin"],
     "weights": [
       {"name": "i32", "shape": [2], "dtype": "int32"},
       {"name": "b", "shape": [], "dtype": "float32"},
       {"name": "q16", "shape": [2], "dtype": "float32",
        "quantization": {"dtype": "uint16", "scale": 0.25, "min": 10.0}}
     ]}
  ]
})";

void put16(std::string& s, uint16_t v) {
    s.push_back(static_cast<char>(v & 0xFF));
    s.push_back(static_cast<char>(v >> 8));
}
void put32(std::string& s, uint32_t v) {
    for (int k = 0; k < 4; ++k) s.push_back(static_cast<char>((v >> (8 * k)) & 0xFF));
}

// The bytes of all weights back to back, in manifest order.
std::string weight_bytes() {
    std::string s;
    for (const uint16_t h : {0x3C00, 0xC000, 0x7BFF, 0x3800}) put16(s, h);  // w16: 1, -2, 65504, 0.5
    for (const unsigned char q : {0, 2, 255}) s.push_back(static_cast<char>(q));  // q8
    put32(s, 7);                              // i32
    put32(s, static_cast<uint32_t>(-3));
    put32(s, 0x40500000);                     // b: 3.25f
    put16(s, 0);                              // q16
    put16(s, 4);
    return s;
}

// Writes the model to `dir`; group 1's bytes (11) are split mid-weight across its two shards.
fs::path write_model(const TempDir& dir, const std::string& json = kModelJson, std::string bytes = weight_bytes()) {
    write_text(dir / "model.json", json);
    write_text(dir / "group1-shard1of2.bin", bytes.substr(0, 5));
    write_text(dir / "group1-shard2of2.bin", bytes.substr(5, 6));
    write_text(dir / "group2-shard1of1.bin", bytes.substr(11));
    return dir / "model.json";
}

std::string error_of(const fs::path& model) {
    try {
        read_tfjs_graph(model);
    } catch (const Error& e) {
        return e.what();
    }
    return "(no error)";
}

TEST(TfjsGraph, ReadsNodesAndDecodesAttributes) {
    TempDir dir;
    const TfjsGraph g = read_tfjs_graph(write_model(dir));
    ASSERT_EQ(g.nodes.size(), 5u);
    const TfjsNode* conv = g.find_node("conv");
    ASSERT_NE(conv, nullptr);
    EXPECT_EQ(conv->op, "_FusedConv2D");
    EXPECT_EQ(conv->inputs, (std::vector<std::string>{"x", "w16", "b"}));
    EXPECT_EQ(conv->attr_string("padding"), "SAME");
    EXPECT_EQ(conv->attr_string("data_format"), "NHWC");
    EXPECT_EQ(conv->attr_strings("fused_ops"), (std::vector<std::string>{"BiasAdd", "Relu"}));
    EXPECT_EQ(conv->attr_ints("strides"), (std::vector<int64_t>{1, 2, 2, 1}));
    EXPECT_EQ(conv->attr("num_args")->i, 1);
    EXPECT_DOUBLE_EQ(*conv->attr("epsilon")->f, 0.001);
    EXPECT_EQ(conv->attr("use_cudnn_on_gpu")->b, true);
    EXPECT_EQ(conv->attr("T")->type, "DT_FLOAT");
    EXPECT_EQ(conv->attr("missing"), nullptr);
    EXPECT_EQ(conv->attr_string("missing", "fallback"), "fallback");

    // "out" reads conv's output 0 as "conv:0": still a consumer of conv.
    const auto consumers = g.consumers("conv");
    ASSERT_EQ(consumers.size(), 1u);
    EXPECT_EQ(consumers[0]->name, "out");
}

TEST(TfjsGraph, DequantisesEveryStorageKind) {
    TempDir dir;
    const TfjsGraph g = read_tfjs_graph(write_model(dir));
    ASSERT_EQ(g.weights.size(), 5u);

    const torch::Tensor& w16 = g.weight("w16");
    EXPECT_EQ(w16.scalar_type(), torch::kFloat32);
    EXPECT_EQ(w16.sizes(), (std::vector<int64_t>{2, 2}));
    EXPECT_TRUE(torch::equal(w16, torch::tensor({{1.0f, -2.0f}, {65504.0f, 0.5f}})));

    // uint8: q * scale + min = {-1, 0, 126.5}
    EXPECT_TRUE(torch::equal(g.weight("q8"), torch::tensor({-1.0f, 0.0f, 126.5f})));

    const torch::Tensor& i32 = g.weight("i32");
    EXPECT_EQ(i32.scalar_type(), torch::kInt32);
    EXPECT_TRUE(torch::equal(i32, torch::tensor({7, -3}, torch::kInt32)));

    const torch::Tensor& b = g.weight("b");  // scalar, stored unquantised
    EXPECT_EQ(b.dim(), 0);
    EXPECT_EQ(b.item<float>(), 3.25f);

    EXPECT_TRUE(torch::equal(g.weight("q16"), torch::tensor({10.0f, 11.0f})));
}

TEST(TfjsGraph, UnknownWeightNamesTheModel) {
    TempDir dir;
    const TfjsGraph g = read_tfjs_graph(write_model(dir));
    try {
        g.weight("nope");
        FAIL() << "expected an Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("model.json"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("nope"), std::string::npos) << e.what();
    }
}

TEST(TfjsGraph, TruncatedWeightsAreAClearError) {
    TempDir dir;
    std::string bytes = weight_bytes();
    bytes.pop_back();
    const std::string message = error_of(write_model(dir, kModelJson, bytes));
    EXPECT_NE(message.find("model.json"), std::string::npos) << message;
    EXPECT_NE(message.find("q16"), std::string::npos) << message;  // the weight that did not fit
    EXPECT_NE(message.find("truncated"), std::string::npos) << message;
    EXPECT_NE(message.find("group2-shard1of1.bin"), std::string::npos) << message;
}

TEST(TfjsGraph, ExtraBytesAreAnError) {
    TempDir dir;
    const std::string message = error_of(write_model(dir, kModelJson, weight_bytes() + "xx"));
    EXPECT_NE(message.find("different model"), std::string::npos) << message;
}

TEST(TfjsGraph, MissingShardNamesTheFile) {
    TempDir dir;
    const fs::path model = write_model(dir);
    fs::remove(dir / "group1-shard2of2.bin");
    const std::string message = error_of(model);
    EXPECT_NE(message.find("group1-shard2of2.bin"), std::string::npos) << message;
}

TEST(TfjsGraph, MissingModelNamesTheFile) {
    TempDir dir;
    const std::string message = error_of(dir / "absent.json");
    EXPECT_NE(message.find("absent.json"), std::string::npos) << message;
}

TEST(TfjsGraph, MalformedJsonNamesTheFile) {
    TempDir dir;
    const std::string message = error_of(write_model(dir, "{\"modelTopology\": "));
    EXPECT_NE(message.find("model.json"), std::string::npos) << message;
    EXPECT_NE(message.find("invalid JSON"), std::string::npos) << message;
}

TEST(TfjsGraph, MissingOrBadFieldsNameTheField) {
    struct Case {
        std::string from, to, field;
    };
    const std::vector<Case> cases = {
        {R"("name": "q8", "shape": [3], )", R"("name": "q8", )", "weightsManifest[0].weights[1] (q8).shape"},
        {R"("dtype": "int32")", R"("dtype": "string")", "weightsManifest[1].weights[0] (i32).dtype"},
        {R"("dtype": "uint16", )", R"("dtype": "int4", )", "weightsManifest[1].weights[2] (q16).quantization.dtype"},
        {R"("padding": {"s": "U0FNRQ=="})", R"("padding": {"s": "U0F!"})", "modelTopology.node[3].attr.padding.s"},
        {R"("name": "conv", "op": "_FusedConv2D")", R"("name": "conv")", "modelTopology.node[3].op"},
        {R"("strides": {"list": {"i": ["1", "2")", R"("strides": {"list": {"i": ["1", "two")",
         "modelTopology.node[3].attr.strides.list.i[1]"},
    };
    for (const auto& c : cases) {
        std::string json = kModelJson;
        const auto at = json.find(c.from);
        ASSERT_NE(at, std::string::npos) << c.from;
        json.replace(at, c.from.size(), c.to);
        TempDir dir;
        const std::string message = error_of(write_model(dir, json));
        EXPECT_NE(message.find("model.json"), std::string::npos) << message;
        EXPECT_NE(message.find(c.field), std::string::npos) << "expected field " << c.field << " in: " << message;
    }
}

}  // namespace
}  // namespace apiary::nn
