#pragma once
// Per-format header readers behind probe_image. Each fills `info` from the header bytes and
// throws apiary::Error (without a path; the caller adds it) when the header is malformed.
#include <string_view>

#include "vision/byte_source.h"
#include "vision/image_probe.h"

namespace apiary::vision::detail {

void read_jpeg_header(const ByteSource& src, ImageInfo& info);
void read_png_header(const ByteSource& src, ImageInfo& info);

// GIF, BMP, WebP and TIFF are only recognised so they can be reported as unsupported; their
// sizes are filled in where the header makes that trivial, never with an error.
void read_other_header(const ByteSource& src, ImageInfo& info);

// Orientation 1..8 from an APP1 payload that starts with "Exif\0\0"; 1 when absent or invalid.
int exif_orientation(std::string_view app1_payload);

}  // namespace apiary::vision::detail
