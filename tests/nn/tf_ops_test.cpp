// The TF semantics the import depends on, checked against hand-computed values.
#include <gtest/gtest.h>

#include "nn/layers.h"
#include "nn/tf_layout.h"
#include "nn/tf_ops.h"

namespace apiary::nn {
namespace {

namespace F = torch::nn::functional;

TEST(TfSamePadding, ExtraPaddingGoesAfter) {
    auto check = [](int64_t in, int64_t k, int64_t s, int64_t before, int64_t after) {
        const SamePadding p = tf_same_padding(in, k, s);
        EXPECT_EQ(p.before, before) << in << " " << k << " " << s;
        EXPECT_EQ(p.after, after) << in << " " << k << " " << s;
    };
    check(512, 3, 2, 0, 1);  // total 1
    check(512, 5, 2, 1, 2);  // total 3
    check(511, 3, 2, 1, 1);  // odd input: total 2, symmetric
    check(128, 5, 1, 2, 2);
    check(128, 3, 1, 1, 1);
    check(7, 1, 2, 0, 0);
}

TEST(ConvUnit, Stride2SameMatchesTensorFlow) {
    // 4×4 ones, 3×3 ones kernel, stride 2. TF pads one row/column at the bottom/right only, so
    // window (0,0) covers rows/cols 0..2 (9 ones), windows touching the padding fewer.
    ConvUnit conv(ConvSpec{1, 1, 3, 2, 1, false, Activation::None});
    torch::NoGradGuard no_grad;
    conv->weight.fill_(1.0f);
    const torch::Tensor y = conv(torch::ones({1, 1, 4, 4}));
    EXPECT_TRUE(torch::equal(y, torch::tensor({{{{9.0f, 6.0f}, {6.0f, 4.0f}}}}))) << y;
    // torch's symmetric padding=1 would give 4 in the top-left corner instead.
    const torch::Tensor sym = F::conv2d(torch::ones({1, 1, 4, 4}), conv->weight, F::Conv2dFuncOptions().stride(2).padding(1));
    EXPECT_EQ(sym[0][0][0][0].item<float>(), 4.0f);
}

TEST(ConvUnit, Stride2WithWidenedKernelEqualsExplicitPadding) {
    // Even inputs take the widened-kernel path; compare with padding the input as TF does.
    for (const int64_t k : {3, 5}) {
        ConvUnit conv(ConvSpec{4, 6, k, 2, 1, true, Activation::None});
        const torch::Tensor x = torch::randn({2, 4, 10, 12});
        const SamePadding ph = tf_same_padding(10, k, 2), pw = tf_same_padding(12, k, 2);
        const torch::Tensor reference =
            F::conv2d(F::pad(x, F::PadFuncOptions({pw.before, pw.after, ph.before, ph.after})), conv->weight,
                      F::Conv2dFuncOptions().stride(2).bias(conv->bias));
        const torch::Tensor y = conv(x);
        ASSERT_EQ(y.sizes(), reference.sizes()) << "kernel " << k;
        EXPECT_TRUE(torch::allclose(y, reference, 1e-5, 1e-5)) << "kernel " << k;
        y.sum().backward();  // the gradient reaches the k×k weight through the widening
        EXPECT_EQ(conv->weight.grad().sizes(), conv->weight.sizes());
    }
}

TEST(ConvUnit, InPlaceActivationWithoutAutogradMatches) {
    ConvUnit conv(ConvSpec{3, 5, 3, 1, 1, true, Activation::HardSwish});
    const torch::Tensor x = torch::randn({1, 3, 8, 8});
    const torch::Tensor with_grad = conv(x);
    torch::NoGradGuard no_grad;
    EXPECT_TRUE(torch::equal(conv(x), with_grad.detach()));
    for (const Activation act : {Activation::Relu, Activation::Relu6, Activation::HardSigmoid, Activation::Sigmoid}) {
        const torch::Tensor v = torch::randn({16}) * 5;
        EXPECT_TRUE(torch::equal(activate_fresh(v.clone(), act), activate(v, act))) << to_string(act);
    }
}

TEST(ConvUnit, Stride1SameKeepsSizeAndAppliesBiasAndActivation) {
    ConvUnit conv(ConvSpec{2, 3, 5, 1, 1, true, Activation::Relu});
    torch::NoGradGuard no_grad;
    conv->weight.zero_();
    conv->bias.copy_(torch::tensor({-1.0f, 0.5f, 2.0f}));
    const torch::Tensor y = conv(torch::randn({2, 2, 7, 9}));
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 3, 7, 9}));
    EXPECT_TRUE(torch::allclose(y.mean({0, 2, 3}), torch::tensor({0.0f, 0.5f, 2.0f})));
}

TEST(ConvUnit, ChannelsLastGivesTheSameResult) {
    ConvUnit conv(ConvSpec::depthwise(8, 5, 2, Activation::HardSwish));
    torch::NoGradGuard no_grad;
    const torch::Tensor x = torch::randn({1, 8, 16, 16});
    const torch::Tensor a = conv(x);
    const torch::Tensor b = conv(x.contiguous(at::MemoryFormat::ChannelsLast));
    EXPECT_TRUE(torch::allclose(a, b, 1e-5, 1e-5));
}

TEST(ResizeBilinearTfLegacy, UsesSourceEqualsDestTimesScale) {
    // 1-D along width: in [0, 10] → 4 samples at src = 0, 0.5, 1, 1.5 (clamped) → 0, 5, 10, 10.
    const torch::Tensor x = torch::tensor({0.0f, 10.0f}).view({1, 1, 1, 2});
    EXPECT_TRUE(torch::equal(resize_bilinear_tf_legacy(x, 1, 4).flatten(), torch::tensor({0.0f, 5.0f, 10.0f, 10.0f})));

    // Non-integer factor: 3 → 4, scale 0.75, src = 0, 0.75, 1.5, 2.25.
    const torch::Tensor y = torch::tensor({0.0f, 10.0f, 20.0f}).view({1, 1, 3, 1});
    EXPECT_TRUE(torch::allclose(resize_bilinear_tf_legacy(y, 4, 1).flatten(), torch::tensor({0.0f, 7.5f, 15.0f, 20.0f})));
}

TEST(ResizeBilinearTfLegacy, Upsamples2x2By2) {
    const torch::Tensor x = torch::tensor({{0.0f, 1.0f}, {2.0f, 3.0f}}).view({1, 1, 2, 2});
    const torch::Tensor expected = torch::tensor({{0.0f, 0.5f, 1.0f, 1.0f},
                                                  {1.0f, 1.5f, 2.0f, 2.0f},
                                                  {2.0f, 2.5f, 3.0f, 3.0f},
                                                  {2.0f, 2.5f, 3.0f, 3.0f}});
    EXPECT_TRUE(torch::allclose(resize_bilinear_tf_legacy(x, 4, 4).view({4, 4}), expected));

    // torch's default (half-pixel centres, src = (d + 0.5) / 2 - 0.5) samples 0.25 at d = 1,
    // not 0.5: it would shift the pretrained feature maps by a quarter cell.
    const torch::Tensor torch_default =
        F::interpolate(x, F::InterpolateFuncOptions().size(std::vector<int64_t>{4, 4}).mode(torch::kBilinear).align_corners(false));
    EXPECT_FALSE(torch::allclose(torch_default.view({4, 4}), expected));
}

TEST(ResizeBilinearTfLegacy, Exact2xFastPathEqualsGeneralRule) {
    // Doubling one axis at a time takes the general per-axis path; both at once the fast one.
    for (const auto format : {at::MemoryFormat::Contiguous, at::MemoryFormat::ChannelsLast}) {
        const torch::Tensor x = torch::randn({2, 5, 6, 7}).contiguous(format);
        const torch::Tensor general = resize_bilinear_tf_legacy(resize_bilinear_tf_legacy(x, 12, 7), 12, 14);
        const torch::Tensor fast = resize_bilinear_tf_legacy(x, 12, 14);
        EXPECT_TRUE(torch::equal(fast, general));
        EXPECT_TRUE(fast.is_contiguous(format));
    }
}

TEST(ResizeBilinearTfLegacy, KeepsLayoutAndGradient) {
    const torch::Tensor x = torch::randn({2, 3, 4, 5}).contiguous(at::MemoryFormat::ChannelsLast).requires_grad_(true);
    const torch::Tensor y = resize_bilinear_tf_legacy(x, 8, 10);
    EXPECT_EQ(y.sizes(), (std::vector<int64_t>{2, 3, 8, 10}));
    EXPECT_TRUE(y.is_contiguous(at::MemoryFormat::ChannelsLast));
    EXPECT_TRUE(torch::allclose(y, resize_bilinear_tf_legacy(x.contiguous(), 8, 10)));
    y.sum().backward();
    // Every output sample's weights sum to 1, so the gradient sums to the number of outputs.
    EXPECT_NEAR(x.grad().sum().item<double>(), 2 * 3 * 8 * 10, 1e-3);
}

TEST(Activations, HardSwishAndHardSigmoid) {
    const torch::Tensor x = torch::tensor({-4.0f, -3.0f, -1.0f, 0.0f, 1.0f, 3.0f, 4.0f});
    EXPECT_TRUE(torch::allclose(hard_swish(x), x * torch::clamp(x + 3, 0, 6) / 6));
    EXPECT_TRUE(torch::allclose(hard_sigmoid(x), torch::clamp(x + 3, 0, 6) / 6));
    EXPECT_FLOAT_EQ(hard_swish(torch::tensor(1.0f)).item<float>(), 4.0f / 6.0f);
}

TEST(TfLayout, ConvFilterIsTransposedToOutInKhKw) {
    const torch::Tensor tf = torch::arange(2 * 3 * 4 * 5, torch::kFloat32).view({2, 3, 4, 5});  // kh kw in out
    const torch::Tensor t = tf_conv_filter_to_torch(tf);
    ASSERT_EQ(t.sizes(), (std::vector<int64_t>{5, 4, 2, 3}));
    for (int64_t kh = 0; kh < 2; ++kh)
        for (int64_t kw = 0; kw < 3; ++kw)
            for (int64_t i = 0; i < 4; ++i)
                for (int64_t o = 0; o < 5; ++o)
                    EXPECT_EQ(t[o][i][kh][kw].item<float>(), tf[kh][kw][i][o].item<float>());
}

TEST(TfLayout, DepthwiseFilterNumbersChannelsInputMajor) {
    const torch::Tensor tf = torch::arange(3 * 3 * 4 * 2, torch::kFloat32).view({3, 3, 4, 2});  // kh kw in mult
    const torch::Tensor t = tf_depthwise_filter_to_torch(tf);
    ASSERT_EQ(t.sizes(), (std::vector<int64_t>{8, 1, 3, 3}));
    for (int64_t c = 0; c < 4; ++c)
        for (int64_t m = 0; m < 2; ++m)
            for (int64_t kh = 0; kh < 3; ++kh)
                for (int64_t kw = 0; kw < 3; ++kw)
                    EXPECT_EQ(t[c * 2 + m][0][kh][kw].item<float>(), tf[kh][kw][c][m].item<float>());
}

}  // namespace
}  // namespace apiary::nn
