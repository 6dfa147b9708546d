#pragma once
// The web console's files: the bundle embedded at build time (cmake/embed_console.cmake; served
// gzipped with ETags, so the console works offline and a binary is all one deploys), or, with
// --console-dir, the unbundled ES modules straight from a checkout's console/ (development).
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "service/http_message.h"

namespace apiary::service {

struct EmbeddedAsset {
    const char* name;          // "app.js"
    const char* content_type;
    const char* etag;          // quoted SHA-256 of `raw`
    std::string_view raw;
    std::string_view gzip;
};
const std::vector<EmbeddedAsset>& embedded_console_assets();  // generated

class ConsoleAssets {
public:
    // Empty `dev_dir`: the embedded bundle. Otherwise a console/ folder (with node_modules/).
    explicit ConsoleAssets(std::filesystem::path dev_dir = {});

    // The HTML page every console path answers with: it loads the sign-in form, or the app.
    std::string shell(bool signed_in) const;
    // The Content-Security-Policy of console responses (the dev shell's import map is hashed in).
    const std::string& content_security_policy() const { return csp_; }
    // Serves `path` (below /console/assets/ or, in development, /console/dev/) into `res`:
    // 304 on a matching If-None-Match, gzip when accepted. False when there is no such asset.
    bool serve(std::string_view path, const HttpRequest& req, HttpResponse& res) const;
    // Assets the sign-in page needs, served without a session.
    static bool public_asset(std::string_view path);

private:
    bool serve_dev_file(std::string_view relative, const HttpRequest& req, HttpResponse& res) const;

    std::filesystem::path dev_dir_;
    std::string import_map_;  // development only
    std::string csp_;
};

}  // namespace apiary::service
