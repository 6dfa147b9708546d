// The console's files: the embedded bundle, and the development mode that serves console/'s
// sources and the import map's modules straight from the checkout (and nothing else there).
#include <gtest/gtest.h>

#include "core/base64.h"
#include "core/hash.h"
#include "core/json.h"
#include "service/console_assets.h"

namespace apiary::service {
namespace {

int status_of(const ConsoleAssets& assets, const std::string& path) {
    HttpResponse res;
    if (!assets.serve(path, HttpRequest::from_target("GET", path), res)) return 404;
    return res.status;
}

TEST(ConsoleAssets, TheEmbeddedBundleHoldsTheSignInPageTheAppAndItsStyles) {
    const ConsoleAssets assets;
    for (const char* name : {"signin.js", "app.js", "app.css"}) EXPECT_EQ(status_of(assets, std::string("/console/assets/") + name), 200) << name;
    EXPECT_EQ(status_of(assets, "/console/assets/none.js"), 404);
    EXPECT_EQ(status_of(assets, "/console/dev/src/app.js"), 404);  // no development files in a release
    for (const auto& a : embedded_console_assets()) EXPECT_LT(a.gzip.size(), a.raw.size()) << a.name;
}

TEST(ConsoleAssets, DevelopmentServesTheSourcesAndEveryModuleOfItsImportMap) {
    const ConsoleAssets assets(APIARY_SOURCE_DIR "/console");
    const std::string shell = assets.shell(true);
    const auto begin = shell.find(R"(<script type="importmap">)") + 25;
    const std::string map = shell.substr(begin, shell.find("</script>", begin) - begin);
    // The inline map is allowed by its hash, and by nothing looser.
    EXPECT_NE(assets.content_security_policy().find("'sha256-" + base64_encode(*from_hex(sha256_hex(map))) + "'"),
              std::string::npos);
    EXPECT_EQ(assets.content_security_policy().find("unsafe-inline"), std::string::npos);
    const Json imports = Json::parse(map).at("imports");  // named: a temporary would die before the loop
    for (const auto& [name, target] : imports.items())
        EXPECT_EQ(status_of(assets, target.get<std::string>()), 200) << name << " → " << target;
    EXPECT_EQ(status_of(assets, "/console/dev/src/app.js"), 200);
    EXPECT_EQ(status_of(assets, "/console/dev/src/signin.js"), 200);
    EXPECT_EQ(status_of(assets, "/console/dev/src/../package.json"), 404);
    EXPECT_EQ(status_of(assets, "/console/dev/package.json"), 404);
    EXPECT_EQ(status_of(assets, "/console/dev/node_modules/esbuild/package.json"), 404);
    EXPECT_EQ(status_of(assets, "/console/dev/node_modules/preact/.hidden"), 404);
}

}  // namespace
}  // namespace apiary::service
