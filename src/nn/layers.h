#pragma once
// The building blocks the CenterNet graph is made of, as libtorch modules. Batch norm is
// already folded into the convolution biases of the pretrained graph, so a convolution is
// simply weight + optional bias + activation.
#include <torch/torch.h>

#include <cstdint>
#include <string>

namespace apiary::nn {

enum class Activation { None, Relu, Relu6, HardSwish, HardSigmoid, Sigmoid };

torch::Tensor activate(const torch::Tensor& x, Activation act);
// activate() for a tensor nothing else refers to (a layer's fresh output): in place when
// autograd is off, out of place (autograd-safe) otherwise.
torch::Tensor activate_fresh(torch::Tensor x, Activation act);
std::string to_string(Activation act);

struct ConvSpec {
    int64_t in = 0;
    int64_t out = 0;
    int64_t kernel = 1;
    int64_t stride = 1;
    int64_t groups = 1;  // == in == out for a depthwise convolution (multiplier 1)
    bool bias = true;
    Activation act = Activation::None;

    static ConvSpec pointwise(int64_t in, int64_t out, Activation act = Activation::None, bool bias = true) {
        return {in, out, 1, 1, 1, bias, act};
    }
    static ConvSpec depthwise(int64_t channels, int64_t kernel, int64_t stride = 1,
                              Activation act = Activation::None, bool bias = true) {
        return {channels, channels, kernel, stride, channels, bias, act};
    }
};

// A 2-D convolution with TF "SAME" padding (asymmetric where TF's is, see tf_same_padding),
// an optional bias and an activation. Parameters: "weight" [out, in/groups, k, k] and, if
// spec.bias, "bias" [out]. Freshly constructed it is initialised like torch::nn::Conv2d.
class ConvUnitImpl : public torch::nn::Module {
public:
    explicit ConvUnitImpl(const ConvSpec& spec);
    torch::Tensor forward(const torch::Tensor& x);

    const ConvSpec& spec() const { return spec_; }
    void reset_parameters();

    torch::Tensor weight;
    torch::Tensor bias;  // undefined when !spec().bias

private:
    ConvSpec spec_;
};
TORCH_MODULE(ConvUnit);

// Depthwise k×k (no bias, no activation) followed by a 1×1 projection with bias: TF's
// SeparableConv2D with batch norm folded into the pointwise bias.
class SeparableConvImpl : public torch::nn::Module {
public:
    SeparableConvImpl(int64_t in, int64_t out, int64_t kernel);
    torch::Tensor forward(const torch::Tensor& x);

    ConvUnit depthwise{nullptr};
    ConvUnit pointwise{nullptr};
};
TORCH_MODULE(SeparableConv);

// Squeeze-and-excite: x * gate(expand(relu(reduce(mean_hw(x))))). MobileNetV3 uses a
// hard-sigmoid gate and biases on both 1×1 convolutions; the CenterNet head's attention
// block uses a plain sigmoid and no bias on the expanding convolution.
class SqueezeExciteImpl : public torch::nn::Module {
public:
    SqueezeExciteImpl(int64_t channels, int64_t squeezed, Activation gate, bool expand_bias = true);
    torch::Tensor forward(const torch::Tensor& x);

    ConvUnit reduce{nullptr};
    ConvUnit expand{nullptr};
};
TORCH_MODULE(SqueezeExcite);

}  // namespace apiary::nn
