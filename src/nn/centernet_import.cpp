#include "nn/centernet_import.h"

#include <algorithm>
#include <optional>
#include <set>
#include <sstream>

#include "core/error.h"
#include "nn/pretrained.h"
#include "nn/tf_layout.h"

namespace apiary::nn {
namespace {

enum class ConvKind { Regular, Depthwise };

std::string shape_str(torch::IntArrayRef sizes) {
    std::ostringstream s;
    s << sizes;
    return s.str();
}

bool contains(const std::vector<std::string>& v, const std::string& x) {
    return std::find(v.begin(), v.end(), x) != v.end();
}

std::string strip_output_index(std::string name) {
    if (const auto colon = name.rfind(':'); colon != std::string::npos) name.resize(colon);
    return name;
}

class Importer {
public:
    explicit Importer(const TfjsGraph& graph) : g_(graph) {}

    // The single convolution node of `kind` under TF name scope `scope` (the graph prefixes
    // every node with "tower_0/", the weights only sometimes, so match the scope anywhere).
    const TfjsNode& find_conv(const std::string& scope, ConvKind kind) const {
        static const std::set<std::string> regular = {"_FusedConv2D", "Conv2D"};
        static const std::set<std::string> depthwise = {"FusedDepthwiseConv2dNative", "DepthwiseConv2dNative"};
        const auto& ops = kind == ConvKind::Regular ? regular : depthwise;
        const TfjsNode* found = nullptr;
        int count = 0;
        for (const auto& node : g_.nodes) {
            const bool in_scope = node.name.rfind(scope + "/", 0) == 0 ||
                                  node.name.find("/" + scope + "/") != std::string::npos;
            if (in_scope && ops.count(node.op)) {
                found = &node;
                ++count;
            }
        }
        if (count != 1)
            fail("modelTopology.node", "expected exactly one " +
                                           std::string(kind == ConvKind::Regular ? "Conv2D" : "DepthwiseConv2d") +
                                           " under scope '" + scope + "', found " + std::to_string(count));
        return *found;
    }

    // Loads `node`'s filter (and bias) into `unit` after checking that the node computes what
    // the unit computes. `graph_act` is the activation the graph applies after the node
    // (defaults to the unit's own; the heatmap head differs: it keeps logits).
    void load(ConvUnitImpl& unit, const TfjsNode& node, std::optional<Activation> graph_act = std::nullopt) {
        const ConvSpec& spec = unit.spec();
        const std::string where = "node " + node.name;
        if (node.inputs.size() < 2) fail(where, "convolution without a filter input");
        const bool depthwise = node.op.find("Depthwise") != std::string::npos;
        if (depthwise != (spec.groups > 1 && spec.groups == spec.in))
            fail(where, "depthwise/regular convolution mismatch");

        // Geometry: NHWC, strides [1, s, s, 1], no dilation, SAME unless the kernel is 1×1.
        if (node.attr_string("data_format", "NHWC") != "NHWC") fail(where, "data_format is not NHWC");
        const std::vector<int64_t> strides = node.attr_ints("strides");
        if (strides != std::vector<int64_t>{1, spec.stride, spec.stride, 1})
            fail(where, "strides differ from the module's stride " + std::to_string(spec.stride));
        const std::vector<int64_t> dilations = node.attr_ints("dilations");
        if (!dilations.empty() && dilations != std::vector<int64_t>{1, 1, 1, 1}) fail(where, "dilated convolution");
        if (spec.kernel > 1 && node.attr_string("padding") != "SAME")
            fail(where, "padding '" + node.attr_string("padding") + "' (only SAME is implemented)");

        // Filter.
        const torch::Tensor& tf_filter = g_.weight(strip_output_index(node.inputs[1]));
        const torch::Tensor filter =
            depthwise ? tf_depthwise_filter_to_torch(tf_filter) : tf_conv_filter_to_torch(tf_filter);
        if (filter.sizes() != unit.weight.sizes())
            fail(where, "filter " + node.inputs[1] + " has shape " + shape_str(tf_filter.sizes()) + " (torch " +
                            shape_str(filter.sizes()) + "), the module expects " + shape_str(unit.weight.sizes()));
        assign(unit.weight, filter);

        // Bias: folded batch norm (fused BiasAdd, third input).
        const std::vector<std::string> fused = node.attr_strings("fused_ops");
        const bool has_bias = contains(fused, "BiasAdd");
        if (has_bias != spec.bias)
            fail(where, has_bias ? "graph has a bias the module lacks" : "module has a bias the graph lacks");
        if (has_bias) {
            if (node.inputs.size() < 3) fail(where, "fused BiasAdd without a bias input");
            const torch::Tensor& b = g_.weight(strip_output_index(node.inputs[2]));
            if (b.sizes() != unit.bias.sizes())
                fail(where, "bias " + node.inputs[2] + " has shape " + shape_str(b.sizes()) + ", expected " +
                                shape_str(unit.bias.sizes()));
            assign(unit.bias, b);
        }

        // Activation.
        const Activation expected = graph_act.value_or(spec.act);
        const Activation found = graph_activation(node, fused);
        if (found != expected)
            fail(where, "graph applies " + to_string(found) + ", module expects " + to_string(expected));
    }

    void load(ConvUnitImpl& unit, const std::string& scope, ConvKind kind,
              std::optional<Activation> graph_act = std::nullopt) {
        load(unit, find_conv(scope, kind), graph_act);
    }

    void load(SeparableConvImpl& conv, const std::string& scope, std::optional<Activation> graph_act = std::nullopt) {
        const TfjsNode& dw = find_conv(scope, ConvKind::Depthwise);
        const TfjsNode& pw = find_conv(scope, ConvKind::Regular);
        if (pw.inputs.empty() || strip_output_index(pw.inputs[0]) != dw.name)
            fail("node " + pw.name, "does not take " + dw.name + " as input (not a separable conv)");
        load(*conv.depthwise, dw);
        load(*conv.pointwise, pw, graph_act);
    }

    void load(SqueezeExciteImpl& se, const std::string& reduce_scope, const std::string& expand_scope) {
        const TfjsNode& reduce = find_conv(reduce_scope, ConvKind::Regular);
        const TfjsNode* mean = g_.find_node(strip_output_index(reduce.inputs.at(0)));
        if (!mean || mean->op != "Mean") fail("node " + reduce.name, "squeeze-excite input is not a Mean");
        load(*se.reduce, reduce);
        load(*se.expand, expand_scope, ConvKind::Regular);
    }

    // The constant a Mul node applies to `node`'s output (the box head's ×16).
    float output_multiplier(const TfjsNode& node) const {
        for (const TfjsNode* c : g_.consumers(node.name)) {
            if (c->op != "Mul") continue;
            for (const auto& input : c->inputs) {
                const auto it = g_.weights.find(strip_output_index(input));
                if (it != g_.weights.end() && it->second.numel() == 1) return it->second.item<float>();
            }
        }
        fail("node " + node.name, "no constant multiplier after the box regression");
    }

    void check_all_loaded(torch::nn::Module& net) const {
        for (const auto& p : net.named_parameters())
            if (!loaded_.count(p.value().unsafeGetTensorImpl()))
                fail("weightsManifest", "no weight in the graph for parameter " + p.key());
    }

    [[noreturn]] void fail(const std::string& field, const std::string& reason) const {
        throw Error(Location{g_.model_json.string(), 0, field}, reason);
    }

private:
    void assign(torch::Tensor& param, const torch::Tensor& value) {
        torch::NoGradGuard no_grad;
        param.copy_(value.to(param.device(), param.scalar_type()));
        loaded_.insert(param.unsafeGetTensorImpl());
    }

    // What the graph does right after a convolution node: a fused Relu/Relu6, or the
    // elementwise chains that TF emits for hard-swish (x * (1/6) * relu6(x + 3), under a
    // "hard_swish" scope), hard-sigmoid (relu6(x + 3) * (1/6)) and sigmoid.
    Activation graph_activation(const TfjsNode& node, const std::vector<std::string>& fused) const {
        if (contains(fused, "Relu")) return Activation::Relu;
        if (contains(fused, "Relu6")) return Activation::Relu6;
        const auto consumers = g_.consumers(node.name);
        for (const TfjsNode* c : consumers)
            if (c->op == "Sigmoid") return Activation::Sigmoid;
        for (const TfjsNode* c : consumers)
            if (c->name.find("/hard_swish/") != std::string::npos) return Activation::HardSwish;
        for (const TfjsNode* c : consumers)
            if (c->op == "Add")
                for (const TfjsNode* cc : g_.consumers(c->name))
                    if (cc->op == "Relu6") return Activation::HardSigmoid;
        return Activation::None;
    }

    const TfjsGraph& g_;
    std::set<const void*> loaded_;
};

// "MobilenetV3/expanded_conv", "MobilenetV3/expanded_conv_1", ...
std::string block_scope(size_t index) {
    std::string scope = "MobilenetV3/expanded_conv";
    if (index > 0) {
        scope += '_';
        scope += std::to_string(index);
    }
    return scope;
}

}  // namespace

void import_centernet(CenterNetImpl& net, const TfjsGraph& graph) {
    Importer im(graph);

    // The neck resizes with TF's legacy rule only; refuse graphs that use another one.
    for (const auto& node : graph.nodes) {
        if (node.op != "ResizeBilinear") continue;
        for (const char* key : {"align_corners", "half_pixel_centers"}) {
            const TfjsAttr* a = node.attr(key);
            if (a && a->b && *a->b) im.fail("node " + node.name, std::string(key) + " = true is not implemented");
        }
    }

    // Backbone.
    MobileNetV3Impl& bb = *net.backbone;
    im.load(*bb.stem, "MobilenetV3/Conv", ConvKind::Regular);
    for (size_t i = 0; i < bb.blocks.size(); ++i) {
        InvertedResidualImpl& block = *bb.blocks[i];
        const std::string scope = block_scope(i);
        if (block.expand) im.load(*block.expand, scope + "/expand", ConvKind::Regular);
        im.load(*block.depthwise, scope + "/depthwise", ConvKind::Depthwise);
        if (block.se) im.load(*block.se, scope + "/squeeze_excite/Conv", scope + "/squeeze_excite/Conv_1");
        im.load(*block.project, scope + "/project", ConvKind::Regular);
    }
    im.load(*bb.last, "extern1", ConvKind::Regular);

    // Neck.
    CenterNetNeckImpl& neck = *net.neck;
    const std::pair<LateralBlockImpl*, std::string> laterals[] = {
        {neck.lateral2.get(), "c2"}, {neck.lateral3.get(), "c3"}, {neck.lateral4.get(), "c4"}};
    for (const auto& [lateral, level] : laterals) {
        im.load(*lateral->reduce, "CenternetHead/" + level + "_reverse/1x1", ConvKind::Regular);
        im.load(*lateral->conv, "CenternetHead/" + level + "_reverse/3x3");
    }
    const std::pair<UpsampleBlockImpl*, std::string> ups[] = {
        {neck.up5.get(), "c5"}, {neck.up4.get(), "c4"}, {neck.up3.get(), "c3"}};
    for (const auto& [up, level] : ups) {
        im.load(*up->branch3, "CenternetHead/" + level + "_upsample/branch_x_upsample_resize");
        im.load(*up->branch5, "CenternetHead/" + level + "_upsample/branch_y_upsample_resize");
    }
    im.load(*neck.attention, "CenternetHead/conv1x1_se_a", "CenternetHead/conv1x1_se_b");

    // Heads. The graph ends the heatmap in a sigmoid; the module keeps logits.
    HeatmapHeadImpl& heat = *net.heatmap_head;
    const TfjsNode& cls = im.find_conv("CenternetHead/centernet_cls_output", ConvKind::Regular);
    const int64_t graph_classes = graph.weight(strip_output_index(cls.inputs.at(1))).size(3);
    if (graph_classes != heat.num_classes())
        im.fail("node " + cls.name, "graph has " + std::to_string(graph_classes) + " classes, the network " +
                                        std::to_string(heat.num_classes()) +
                                        " (import first, then replace_heatmap_head)");
    im.load(*heat.depthwise, "CenternetHead/centernet_cls_output", ConvKind::Depthwise);
    im.load(*heat.classifier, cls, Activation::Sigmoid);

    BoxHeadImpl& box = *net.box_head;
    const TfjsNode& wh = im.find_conv("CenternetHead/centernet_wh_output", ConvKind::Regular);
    im.load(*box.depthwise, "CenternetHead/centernet_wh_output", ConvKind::Depthwise);
    im.load(*box.regressor, wh);
    {
        torch::NoGradGuard no_grad;
        box.scale.fill_(im.output_multiplier(wh));
    }

    im.check_all_loaded(net);
}

CenterNet load_centernet_tfjs(const std::filesystem::path& model_json, torch::Device device) {
    const TfjsGraph graph = read_tfjs_graph(model_json);
    CenterNet net(CenterNetImpl::kCocoClasses);
    import_centernet(*net, graph);
    net->to(device);
    net->eval();
    return net;
}

CenterNet load_pretrained_centernet(torch::Device device) {
    return load_centernet_tfjs(pretrained_model_json("centernet"), device);
}

}  // namespace apiary::nn
