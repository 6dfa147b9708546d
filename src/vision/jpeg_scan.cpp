// Walks the Huffman-coded scan data of a sequential JPEG without decoding pixels: codes are
// read and their coefficient bits skipped, MCU by MCU, until the data runs out.
#include "vision/jpeg_scan.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <vector>

#include "core/files.h"

namespace apiary::vision {
namespace {

struct Huffman {
    bool defined = false;
    std::array<int32_t, 17> maxcode{}, mincode{}, valptr{};
    std::vector<uint8_t> values;
};

struct Component {
    int id = 0, h = 1, v = 1;
};

class BitReader {
public:
    BitReader(std::string_view data, size_t pos) : data_(data), pos_(pos) {}

    // Next bit, or -1 at the end of the data or at a marker.
    int bit() {
        if (bits_ == 0) {
            if (pos_ >= data_.size()) return -1;
            const auto b = static_cast<uint8_t>(data_[pos_]);
            if (b == 0xFF) {
                if (pos_ + 1 >= data_.size() || data_[pos_ + 1] != 0) return -1;
                pos_ += 2;
            } else {
                ++pos_;
            }
            byte_ = b;
            bits_ = 8;
        }
        --bits_;
        return (byte_ >> bits_) & 1;
    }

    bool skip(int n) {
        for (int i = 0; i < n; ++i)
            if (bit() < 0) return false;
        return true;
    }

    int decode(const Huffman& t) {
        int32_t code = 0;
        for (int len = 1; len <= 16; ++len) {
            const int b = bit();
            if (b < 0) return -1;
            code = code << 1 | b;
            if (t.maxcode[len] >= 0 && code <= t.maxcode[len] && code >= t.mincode[len])
                return t.values[static_cast<size_t>(t.valptr[len] + code - t.mincode[len])];
        }
        return -1;
    }

    // Restart markers byte-align the data and reset nothing else we track.
    bool restart() {
        bits_ = 0;
        while (pos_ + 1 < data_.size() && static_cast<uint8_t>(data_[pos_]) == 0xFF && static_cast<uint8_t>(data_[pos_ + 1]) == 0xFF) ++pos_;
        if (pos_ + 1 >= data_.size() || static_cast<uint8_t>(data_[pos_]) != 0xFF || (static_cast<uint8_t>(data_[pos_ + 1]) & 0xF8) != 0xD0)
            return false;
        pos_ += 2;
        return true;
    }

    size_t pos() const { return pos_; }

private:
    std::string_view data_;
    size_t pos_;
    int bits_ = 0;
    uint8_t byte_ = 0;
};

uint8_t at(std::string_view s, size_t i) { return static_cast<uint8_t>(s[i]); }

bool read_tables(std::string_view seg, std::array<Huffman, 8>& tables) {
    size_t p = 0;
    while (p + 17 <= seg.size()) {
        const int tc = at(seg, p) >> 4, th = at(seg, p) & 15;
        if (tc > 1 || th > 3) return false;
        Huffman& t = tables[static_cast<size_t>(tc * 4 + th)];
        t = Huffman{};
        int total = 0;
        int32_t code = 0;
        for (int len = 1; len <= 16; ++len) {
            const int count = at(seg, p + static_cast<size_t>(len));
            t.valptr[len] = total;
            t.mincode[len] = code;
            t.maxcode[len] = count ? code + count - 1 : -1;
            code = (code + count) << 1;
            total += count;
        }
        if (total > 256 || p + 17 + static_cast<size_t>(total) > seg.size()) return false;
        t.values.assign(seg.begin() + static_cast<std::ptrdiff_t>(p + 17), seg.begin() + static_cast<std::ptrdiff_t>(p + 17 + total));
        t.defined = true;
        p += 17 + static_cast<size_t>(total);
    }
    return true;
}

bool skip_block(BitReader& br, const Huffman& dc, const Huffman& ac) {
    const int s = br.decode(dc);
    if (s < 0 || s > 16 || !br.skip(s)) return false;
    for (int k = 1; k < 64;) {
        const int rs = br.decode(ac);
        if (rs < 0) return false;
        const int run = rs >> 4, size = rs & 15;
        if (size == 0) {
            if (run != 15) break;  // end of block
            k += 16;
            continue;
        }
        if (!br.skip(size)) return false;
        k += run + 1;
    }
    return true;
}

int ceil_div(int64_t a, int64_t b) { return static_cast<int>((a + b - 1) / b); }

}  // namespace

double jpeg_scan_coverage(std::string_view data) {
    std::array<Huffman, 8> tables;  // DC 0-3, AC 4-7
    std::vector<Component> comps;
    std::vector<double> coverage;  // per component, from the scan that covered it
    int width = 0, height = 0, hmax = 1, vmax = 1, restart_interval = 0;
    bool sequential_huffman = false;
    size_t pos = 2;
    while (pos + 4 <= data.size()) {
        if (at(data, pos) != 0xFF) return 0;
        const uint8_t marker = at(data, pos + 1);
        if (marker == 0xFF) {
            ++pos;
            continue;
        }
        if (marker == 0xD9) break;
        const size_t len = static_cast<size_t>(at(data, pos + 2) << 8 | at(data, pos + 3));
        if (len < 2 || pos + 2 + len > data.size()) return 0;
        const std::string_view seg = data.substr(pos + 4, len - 2);
        pos += 2 + len;
        if (marker == 0xC0 || marker == 0xC1) {
            if (seg.size() < 6 || sequential_huffman) return 0;
            height = at(seg, 1) << 8 | at(seg, 2);
            width = at(seg, 3) << 8 | at(seg, 4);
            const size_t n = at(seg, 5);
            if (seg.size() < 6 + 3 * n || n == 0) return 0;
            for (size_t i = 0; i < n; ++i) {
                Component c{at(seg, 6 + 3 * i), at(seg, 7 + 3 * i) >> 4, at(seg, 7 + 3 * i) & 15};
                if (c.h < 1 || c.v < 1) return 0;
                hmax = std::max(hmax, c.h);
                vmax = std::max(vmax, c.v);
                comps.push_back(c);
            }
            coverage.assign(n, 0.0);
            sequential_huffman = true;
        } else if ((marker >= 0xC2 && marker <= 0xCF) && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
            return 0;  // progressive, lossless or arithmetic: not walked here
        } else if (marker == 0xC4) {
            if (!read_tables(seg, tables)) return 0;
        } else if (marker == 0xDD) {
            if (seg.size() < 2) return 0;
            restart_interval = at(seg, 0) << 8 | at(seg, 1);
        } else if (marker == 0xDA) {
            if (!sequential_huffman || width == 0 || height == 0 || seg.empty()) return 0;
            const size_t ns = at(seg, 0);
            if (ns == 0 || seg.size() < 1 + 2 * ns) return 0;
            struct InScan {
                size_t index;
                const Huffman* dc;
                const Huffman* ac;
            };
            std::vector<InScan> in_scan;
            for (size_t i = 0; i < ns; ++i) {
                const int id = at(seg, 1 + 2 * i), td = at(seg, 2 + 2 * i) >> 4, ta = at(seg, 2 + 2 * i) & 15;
                size_t k = 0;
                while (k < comps.size() && comps[k].id != id) ++k;
                if (k == comps.size() || td > 3 || ta > 3) return 0;
                const Huffman* dc = &tables[static_cast<size_t>(td)];
                const Huffman* ac = &tables[static_cast<size_t>(4 + ta)];
                if (!dc->defined || !ac->defined) return 0;
                in_scan.push_back({k, dc, ac});
            }
            int64_t mcus;
            if (ns == 1) {
                const Component& c = comps[in_scan[0].index];
                mcus = static_cast<int64_t>(ceil_div(ceil_div(static_cast<int64_t>(width) * c.h, hmax), 8)) *
                       ceil_div(ceil_div(static_cast<int64_t>(height) * c.v, vmax), 8);
            } else {
                mcus = static_cast<int64_t>(ceil_div(width, 8 * hmax)) * ceil_div(height, 8 * vmax);
            }
            BitReader br(data, pos);
            int64_t done = 0;
            auto read_mcu = [&] {
                if (restart_interval > 0 && done > 0 && done % restart_interval == 0 && !br.restart()) return false;
                for (const auto& s : in_scan) {
                    const int blocks = ns == 1 ? 1 : comps[s.index].h * comps[s.index].v;
                    for (int b = 0; b < blocks; ++b)
                        if (!skip_block(br, *s.dc, *s.ac)) return false;
                }
                return true;
            };
            while (done < mcus && read_mcu()) ++done;
            for (const auto& s : in_scan) coverage[s.index] = static_cast<double>(done) / static_cast<double>(mcus);
            if (done < mcus) break;  // the data ran out (or broke) inside this scan
            pos = br.pos();
            // Skip to the next marker (padding, or an RST some encoders add after the last MCU).
            while (pos + 1 < data.size() && !(at(data, pos) == 0xFF && at(data, pos + 1) != 0 && (at(data, pos + 1) & 0xF8) != 0xD0)) ++pos;
            if (pos + 1 >= data.size()) break;
        }
    }
    if (!sequential_huffman) return 0;
    return *std::min_element(coverage.begin(), coverage.end());
}

double jpeg_scan_coverage_file(const std::filesystem::path& path) { return jpeg_scan_coverage(read_file(path)); }

}  // namespace apiary::vision
