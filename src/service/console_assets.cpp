#include "service/console_assets.h"

#include "core/base64.h"
#include "core/error.h"
#include "core/files.h"
#include "core/hash.h"
#include "core/text.h"

namespace apiary::service {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kAssets = "/console/assets/";
constexpr std::string_view kDev = "/console/dev/";

// Only the modules the sources import (and htm/preact's own import of htm); nothing else under
// node_modules is served.
const char* const kImportMap =
    R"({"imports":{"preact":"/console/dev/node_modules/preact/dist/preact.mjs",)"
    R"("preact/hooks":"/console/dev/node_modules/preact/hooks/dist/hooks.mjs",)"
    R"("htm":"/console/dev/node_modules/htm/dist/htm.mjs",)"
    R"("htm/preact":"/console/dev/node_modules/htm/preact/index.mjs"}})";

std::string content_type_of(const fs::path& file) {
    const std::string ext = ascii_lowercase(file.extension().string());
    if (ext == ".js" || ext == ".mjs") return "text/javascript";
    if (ext == ".css") return "text/css";
    if (ext == ".json") return "application/json";
    if (ext == ".svg") return "image/svg+xml";
    if (ext == ".png") return "image/png";
    return "application/octet-stream";
}

bool accepts_gzip(const HttpRequest& req) {
    for (auto part : split(req.header("Accept-Encoding"), ','))
        if (ascii_lowercase(std::string(part)).find("gzip") != std::string::npos) return true;
    return false;
}

}  // namespace

ConsoleAssets::ConsoleAssets(fs::path dev_dir) : dev_dir_(std::move(dev_dir)) {
    std::string script_src = "'self'";
    if (!dev_dir_.empty()) {
        if (!fs::is_directory(dev_dir_ / "src") || !fs::is_directory(dev_dir_ / "node_modules"))
            throw Error("--console-dir " + dev_dir_.string() +
                        ": expected the console/ folder of a checkout, with src/ and node_modules/ (npm ci)");
        import_map_ = kImportMap;
        script_src += " 'sha256-" + base64_encode(*from_hex(sha256_hex(import_map_))) + "'";
    }
    csp_ = "default-src 'self'; script-src " + script_src +
           "; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
           "frame-ancestors 'none'; form-action 'self'";
}

std::string ConsoleAssets::shell(bool signed_in) const {
    const bool dev = !dev_dir_.empty();
    const std::string base = dev ? "/console/dev/src/" : "/console/assets/";
    std::string head = R"(<!doctype html><html lang="en"><head><meta charset="utf-8">)"
                       R"(<meta name="viewport" content="width=device-width, initial-scale=1">)"
                       R"(<title>Apiary console</title>)";
    head += R"(<link rel="stylesheet" href=")" + base + R"(app.css">)";
    if (dev) head += R"(<script type="importmap">)" + import_map_ + "</script>";
    head += R"(<script type="module" src=")" + base + (signed_in ? "app.js" : "signin.js") + R"("></script>)";
    return head + R"(</head><body><div id="root"></div></body></html>)";
}

bool ConsoleAssets::public_asset(std::string_view path) {
    return path == "/console/assets/signin.js" || path == "/console/assets/app.css" ||
           path == "/console/dev/src/signin.js" || path == "/console/dev/src/app.css" ||
           (path.starts_with("/console/dev/") && path.find("/node_modules/") != std::string_view::npos);
}

bool ConsoleAssets::serve(std::string_view path, const HttpRequest& req, HttpResponse& res) const {
    if (!dev_dir_.empty()) return path.starts_with(kDev) && serve_dev_file(path.substr(kDev.size()), req, res);
    if (!path.starts_with(kAssets)) return false;
    const std::string_view name = path.substr(kAssets.size());
    for (const auto& asset : embedded_console_assets()) {
        if (name != asset.name) continue;
        res.set_header("ETag", asset.etag);
        res.set_header("Cache-Control", "no-cache");
        res.set_header("Vary", "Accept-Encoding");
        if (req.header("If-None-Match") == asset.etag) {
            res.status = 304;
            return true;
        }
        if (accepts_gzip(req)) {
            res.set_content(std::string(asset.gzip), asset.content_type);
            res.set_header("Content-Encoding", "gzip");
        } else {
            res.set_content(std::string(asset.raw), asset.content_type);
        }
        return true;
    }
    return false;
}

bool ConsoleAssets::serve_dev_file(std::string_view relative, const HttpRequest& req, HttpResponse& res) const {
    // Confined to src/ and the three packages of the import map, without any '..' or hidden part.
    const bool allowed = relative.starts_with("src/") || relative.starts_with("node_modules/preact/") ||
                         relative.starts_with("node_modules/htm/");
    if (!allowed) return false;
    for (auto part : split(relative, '/'))
        if (part.empty() || part.front() == '.') return false;
    const fs::path file = dev_dir_ / fs::path(std::string(relative));
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) return false;
    std::string body = read_file(file);
    const std::string etag = quoted_etag(sha256_hex(body));
    res.set_header("ETag", etag);
    res.set_header("Cache-Control", "no-cache");
    if (req.header("If-None-Match") == etag) {
        res.status = 304;
        return true;
    }
    res.set_content(std::move(body), content_type_of(file));
    return true;
}

}  // namespace apiary::service
