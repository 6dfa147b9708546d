// ConsoleRouter in process: sign-in, the session cookie and its revocation, the CSRF token and
// the same-origin rule checked before a body is read, what is served without a session, and the
// operations reached under a session — without a socket or a browser (console/test/e2e.mjs
// drives a real one).
#include <gtest/gtest.h>

#include <opencv2/imgcodecs.hpp>

#include "core/arn.h"
#include "core/files.h"
#include "core/hash.h"
#include "data/demo_dataset.h"
#include "data/import.h"
#include "store/catalog.h"
#include "core/base64.h"
#include "core/error.h"
#include "nn/pretrained.h"
#include "train/project_training.h"
#include "service/api_router.h"
#include "service/handler_harness.h"
#include "service/console_router.h"
#include "service/event_pipelines.h"
#include "service/rekognition_api.h"
#include "service/s3_api.h"
#include "store/credentials.h"
#include "support/test_support.h"

namespace apiary::service {
namespace {

class ConsoleRouterTest : public ::testing::Test {
protected:
    ConsoleRouterTest()
        : dir(tmp.path() / "data"), objects(dir), credentials(dir), s3(objects, "us-east-1"), rekognition(dir, objects),
          pipelines(dir, objects, rekognition), key(credentials.create("test")),
          api(RouterLimits{}, credentials, objects, s3, rekognition, pipelines), endpoints(dir, rekognition) {
        ConsoleOptions options;
        options.sign_in.max_failures = 3;
        console.emplace(options, api, credentials, endpoints);
    }

    HttpRequest request(const std::string& method, const std::string& target, HeaderList headers = {}) {
        HttpRequest r = HttpRequest::from_target(method, target);
        r.headers = {{"Host", "127.0.0.1:8080"}};
        r.headers.insert(r.headers.end(), headers.begin(), headers.end());
        r.remote_address = "127.0.0.1";
        return r;
    }

    HttpResponse send(const HttpRequest& r, const std::string& body = "") { return test::send_through(*console, r, body); }

    // Signs in with the test key; returns the cookie header and the CSRF token.
    std::pair<std::string, std::string> sign_in() {
        auto res = send(request("POST", "/console/api/session"),
                        Json{{"accessKeyId", key.id}, {"secretAccessKey", key.secret}}.dump());
        EXPECT_EQ(res.status, 200) << res.body;
        const std::string cookie = res.header("Set-Cookie");
        return {cookie.substr(0, cookie.find(';')), Json::parse(res.body).at("csrfToken")};
    }

    HttpResponse operation(const std::string& op, const Json& body, const std::string& cookie, const std::string& csrf,
                           HeaderList extra = {}) {
        HeaderList h = {{"Cookie", cookie}, {"X-Amz-Target", "RekognitionService." + op}};
        if (!csrf.empty()) h.emplace_back("X-CSRF-Token", csrf);
        h.insert(h.end(), extra.begin(), extra.end());
        return send(request("POST", "/console/api/rekognition", h), body.dump());
    }

    test::TempDir tmp;
    store::DataDir dir;
    store::ObjectStore objects;
    store::CredentialStore credentials;
    S3Api s3;
    RekognitionApi rekognition;
    EventPipelines pipelines;
    store::AccessKey key;
    ApiRouter api;
    ConsoleEndpoints endpoints;
    std::optional<ConsoleRouter> console;
};

TEST_F(ConsoleRouterTest, ABrowserOpeningTheServerIsSentToTheConsole) {
    auto res = send(request("GET", "/", {{"Accept", "text/html,application/xhtml+xml"}}));
    EXPECT_EQ(res.status, 302);
    EXPECT_EQ(res.header("Location"), "/console/");
    // An S3 client listing buckets is not a browser: it still gets the S3 answer (here: unsigned).
    EXPECT_EQ(send(request("GET", "/")).status, 403);
}

TEST_F(ConsoleRouterTest, WithoutASessionOnlyTheSignInPageIsServed) {
    auto page = send(request("GET", "/console/"));
    EXPECT_EQ(page.status, 200);
    EXPECT_NE(page.body.find("/console/assets/signin.js"), std::string::npos);
    EXPECT_EQ(page.body.find("app.js"), std::string::npos);
    EXPECT_NE(page.header("Content-Security-Policy").find("script-src 'self'"), std::string::npos);
    EXPECT_EQ(send(request("GET", "/console/assets/signin.js")).status, 200);
    EXPECT_EQ(send(request("GET", "/console/assets/app.js")).status, 401);
    EXPECT_EQ(send(request("GET", "/console/api/session")).status, 401);
    EXPECT_EQ(send(request("GET", "/console/api/training")).status, 401);
    EXPECT_EQ(send(request("GET", "/console/s3/photos/a.jpg")).status, 401);
    EXPECT_EQ(operation("DescribeProjects", Json::object(), "", "").status, 401);
}

TEST_F(ConsoleRouterTest, ASessionServesTheAppGzippedWithAnETag) {
    const auto [cookie, csrf] = sign_in();
    auto page = send(request("GET", "/console/projects", {{"Cookie", cookie}}));
    EXPECT_NE(page.body.find("/console/assets/app.js"), std::string::npos);
    auto app = send(request("GET", "/console/assets/app.js", {{"Cookie", cookie}, {"Accept-Encoding", "gzip, br"}}));
    ASSERT_EQ(app.status, 200);
    EXPECT_EQ(app.header("Content-Encoding"), "gzip");
    EXPECT_EQ(static_cast<unsigned char>(app.body[0]), 0x1f);  // the gzip magic
    const std::string etag = app.header("ETag");
    ASSERT_FALSE(etag.empty());
    EXPECT_EQ(send(request("GET", "/console/assets/app.js", {{"Cookie", cookie}, {"If-None-Match", etag}})).status, 304);
}

TEST_F(ConsoleRouterTest, TheSessionCookieIsHttpOnlyStrictAndRevokedAtSignOut) {
    auto res = send(request("POST", "/console/api/session"),
                    Json{{"accessKeyId", key.id}, {"secretAccessKey", key.secret}}.dump());
    const std::string set_cookie = res.header("Set-Cookie");
    EXPECT_NE(set_cookie.find("HttpOnly"), std::string::npos);
    EXPECT_NE(set_cookie.find("SameSite=Strict"), std::string::npos);
    EXPECT_NE(set_cookie.find("Max-Age="), std::string::npos);
    EXPECT_EQ(set_cookie.find("Secure"), std::string::npos);  // plain HTTP here; under TLS it is set
    const std::string cookie = set_cookie.substr(0, set_cookie.find(';'));
    const std::string csrf = Json::parse(res.body).at("csrfToken");
    EXPECT_EQ(send(request("GET", "/console/api/session", {{"Cookie", cookie}})).status, 200);
    // Signing out needs the token too; then the old cookie is refused.
    EXPECT_EQ(send(request("DELETE", "/console/api/session", {{"Cookie", cookie}})).status, 403);
    EXPECT_EQ(send(request("DELETE", "/console/api/session", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}})).status, 204);
    EXPECT_EQ(send(request("GET", "/console/api/session", {{"Cookie", cookie}})).status, 401);
    EXPECT_EQ(send(request("GET", "/console/assets/app.js", {{"Cookie", cookie}})).status, 401);
}

TEST_F(ConsoleRouterTest, ADeletedKeyEndsItsSessions) {
    const auto [cookie, csrf] = sign_in();
    ASSERT_TRUE(credentials.remove(key.id));
    EXPECT_EQ(send(request("GET", "/console/api/session", {{"Cookie", cookie}})).status, 401);
}

TEST_F(ConsoleRouterTest, WrongKeysGetAClearMessageThenAreRateLimited) {
    const std::string wrong = Json{{"accessKeyId", key.id}, {"secretAccessKey", "not-the-secret"}}.dump();
    for (int i = 0; i < 3; ++i) {
        auto res = send(request("POST", "/console/api/session"), wrong);
        EXPECT_EQ(res.status, 401);
        EXPECT_NE(res.body.find("is wrong"), std::string::npos);
    }
    auto limited = send(request("POST", "/console/api/session"), wrong);
    EXPECT_EQ(limited.status, 429);
    EXPECT_FALSE(limited.header("Retry-After").empty());
    // Even the right key waits out the window from that address; another address may sign in.
    const std::string right = Json{{"accessKeyId", key.id}, {"secretAccessKey", key.secret}}.dump();
    EXPECT_EQ(send(request("POST", "/console/api/session"), right).status, 429);
    auto other = request("POST", "/console/api/session");
    other.remote_address = "10.0.0.2";
    EXPECT_EQ(send(other, right).status, 200);
}

TEST_F(ConsoleRouterTest, StateChangesNeedTheCsrfTokenAndTheSameOrigin) {
    const auto [cookie, csrf] = sign_in();
    const Json create = {{"ProjectName", "bees"}};
    EXPECT_EQ(operation("CreateProject", create, cookie, "").status, 403);
    EXPECT_EQ(operation("CreateProject", create, cookie, "0000").status, 403);
    EXPECT_EQ(operation("CreateProject", create, cookie, csrf, {{"Origin", "http://evil.example"}}).status, 403);
    EXPECT_EQ(operation("CreateProject", create, cookie, csrf, {{"Sec-Fetch-Site", "cross-site"}}).status, 403);
    auto made = operation("CreateProject", create, cookie, csrf, {{"Origin", "http://127.0.0.1:8080"}});
    ASSERT_EQ(made.status, 200) << made.body;
    EXPECT_NE(Json::parse(made.body).at("ProjectArn").get<std::string>().find("project/bees"), std::string::npos);
    // The same operation and answer as the API: a second create is the API's own error.
    auto again = operation("CreateProject", create, cookie, csrf);
    EXPECT_EQ(again.status, 400);
    EXPECT_EQ(Json::parse(again.body).at("__type"), "ResourceInUseException");
}

TEST_F(ConsoleRouterTest, S3UnderTheSessionIsTheSameS3) {
    const auto [cookie, csrf] = sign_in();
    const HeaderList auth = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    EXPECT_EQ(send(request("PUT", "/console/s3/uploads", auth)).status, 200);
    HeaderList put = auth;
    put.emplace_back("Content-Length", "5");
    EXPECT_EQ(send(request("PUT", "/console/s3/uploads/a%20b.txt", put), "hello").status, 200);
    EXPECT_EQ(objects.read_object_bytes("uploads", "a b.txt"), "hello");
    auto got = send(request("GET", "/console/s3/uploads/a%20b.txt", {{"Cookie", cookie}}));
    EXPECT_EQ(got.status, 200);
    auto listed = send(request("GET", "/console/s3/uploads?list-type=2", {{"Cookie", cookie}}));
    EXPECT_NE(listed.body.find("<Key>a b.txt</Key>"), std::string::npos) << listed.body;
}

TEST_F(ConsoleRouterTest, ConsoleEndpointsAnswerJsonAndNameWhatIsWrong) {
    const auto [cookie, csrf] = sign_in();
    auto jobs = send(request("GET", "/console/api/training", {{"Cookie", cookie}}));
    EXPECT_EQ(jobs.status, 200);
    EXPECT_EQ(Json::parse(jobs.body).at("jobs").size(), 0u);
    auto missing = send(request("GET", "/console/api/thumbnail", {{"Cookie", cookie}}));
    EXPECT_EQ(missing.status, 400);
    EXPECT_NE(Json::parse(missing.body).at("message").get<std::string>().find("dataset"), std::string::npos);
    auto models = send(request("GET", "/console/api/models/running", {{"Cookie", cookie}}));
    EXPECT_EQ(Json::parse(models.body).at("models").size(), 0u);
    auto bad_split = send(request("POST", "/console/api/split", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}), "{");
    EXPECT_EQ(bad_split.status, 400);
}

TEST_F(ConsoleRouterTest, ThumbnailsImportReportAndSplitWorkOnAStoredDataset) {
    // Six demo images, and a manifest line that is refused at import.
    const auto demo = data::write_demo_dataset(tmp.path() / "demo", 6, 3);
    std::string manifest = read_file(demo.manifest);
    manifest += "{\"source-ref\": 42}\n";
    write_file_atomic(demo.manifest, manifest);
    data::ImportOptions options;
    options.maps.push_back(data::PathMapping::parse(demo.bucket_prefix + "=" + demo.images.string()));
    const auto report = data::import_dataset(demo.manifest, options);
    ASSERT_EQ(report.rejected(), 1u);
    const auto report_path = tmp.path() / "report.jsonl";
    std::string lines;
    for (const auto& issue : report.issues) lines += issue.to_json().dump() + "\n";
    write_file_atomic(report_path, lines);
    std::string dataset_arn, first_ref;
    {
        store::Catalog catalog(dir);
        const auto project = catalog.create_project("bees");
        catalog.import(project, report, std::string("train"), report_path.string());
        const auto d = catalog.dataset(project, "train");
        dataset_arn = d.arn;
        first_ref = catalog.entries(d).at(0).source_ref;
    }
    const auto [cookie, csrf] = sign_in();
    const auto get = [&, cookie = cookie](const std::string& target, HeaderList extra = {}) {
        extra.emplace_back("Cookie", cookie);
        return send(request("GET", target, extra));
    };
    const std::string thumb = "/console/api/thumbnail?dataset=" + uri_encode(dataset_arn, true) + "&ref=" + uri_encode(first_ref, true);
    auto plain = get(thumb + "&size=64");
    ASSERT_EQ(plain.status, 200) << plain.body;
    EXPECT_EQ(plain.header("Content-Type"), "image/jpeg");
    const cv::Mat image = cv::imdecode(std::vector<uchar>(plain.body.begin(), plain.body.end()), cv::IMREAD_COLOR);
    EXPECT_EQ(std::max(image.cols, image.rows), 64);
    auto boxed = get(thumb + "&size=64&boxes=1");
    EXPECT_NE(boxed.body, plain.body);
    EXPECT_EQ(get(thumb + "&size=64", {{"If-None-Match", plain.header("ETag")}}).status, 304);
    EXPECT_EQ(get(thumb + "&size=5000").status, 400);
    EXPECT_EQ(get("/console/api/thumbnail?dataset=" + uri_encode(dataset_arn, true) + "&ref=s3%3A%2F%2Fnone").status, 404);

    auto issues = Json::parse(get("/console/api/import-report?dataset=" + uri_encode(dataset_arn, true)).body);
    EXPECT_EQ(issues.at("rejected"), 1);
    ASSERT_EQ(issues.at("issues").size(), report.issues.size());
    const auto& rejected = issues.at("issues").at(0);
    EXPECT_EQ(rejected.at("file"), "output.manifest");  // the name only, never the server's folders
    EXPECT_EQ(rejected.at("line"), 7);
    EXPECT_FALSE(rejected.at("message").get<std::string>().empty());

    auto project_arn = Json::parse(operation("DescribeProjects", Json::object(), cookie, csrf).body)
                           .at("ProjectDescriptions").at(0).at("ProjectArn").get<std::string>();
    auto split = send(request("POST", "/console/api/split", {{"Cookie", cookie}, {"X-CSRF-Token", csrf}}),
                      Json{{"projectArn", project_arn}, {"testPercent", 50}, {"seed", 7}}.dump());
    ASSERT_EQ(split.status, 200) << split.body;
    const Json counts = Json::parse(split.body);
    EXPECT_EQ(counts.at("train").get<int>() + counts.at("test").get<int>(), 6);
    EXPECT_GT(counts.at("test").get<int>(), 0);
}

// A project "bees" whose train dataset holds `n` demo images; returns the dataset's ARN.
std::string demo_project(const std::filesystem::path& root, const store::DataDir& dir, size_t n) {
    const auto demo = data::write_demo_dataset(root / "demo", n, 3);
    data::ImportOptions options;
    options.maps.push_back(data::PathMapping::parse(demo.bucket_prefix + "=" + demo.images.string()));
    store::Catalog catalog(dir);
    catalog.import(catalog.create_project("bees"), data::import_dataset(demo.manifest, options), std::string("train"), "");
    return catalog.dataset(catalog.project("bees"), "train").arn;
}

TEST_F(ConsoleRouterTest, AnEntryIsSavedOnlyOverTheVersionItWasReadAt) {
    const std::string dataset = demo_project(tmp.path(), dir, 3);
    const auto [cookie, csrf] = sign_in();
    const HeaderList post = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    const std::string ref = "s3://apiary-demo/bees/images/00001.jpg";
    auto read = send(request("GET", "/console/api/entry?dataset=" + uri_encode(dataset, true) + "&ref=" + uri_encode(ref, true),
                             {{"Cookie", cookie}}));
    ASSERT_EQ(read.status, 200) << read.body;
    const Json entry = Json::parse(read.body);
    EXPECT_EQ(entry.at("orientation"), 1);
    EXPECT_GT(entry.at("width").get<int>(), 0);
    // One box, in a line of the reference format; saved by a first tab...
    Json line = Json::parse(entry.at("line").get<std::string>());
    const std::string attr = [&] {
        for (const auto& [k, v] : line.items())
            if (k != "source-ref" && !k.ends_with("-metadata")) return k;
        return std::string();
    }();
    line[attr]["annotations"] = Json::array({{{"class_id", 0}, {"left", 10}, {"top", 12}, {"width", 30}, {"height", 20}}});
    line[attr + "-metadata"]["class-map"] = {{"0", "bee"}};
    auto saved = send(request("POST", "/console/api/entry", post),
                      Json{{"datasetArn", dataset}, {"line", line.dump()}, {"version", entry.at("version")}}.dump());
    ASSERT_EQ(saved.status, 200) << saved.body;
    EXPECT_NE(Json::parse(saved.body).at("version"), entry.at("version"));
    // ...then a second tab that read the same version is refused, and the first save stands.
    line[attr]["annotations"] = Json::array();
    auto stale = send(request("POST", "/console/api/entry", post),
                      Json{{"datasetArn", dataset}, {"line", line.dump()}, {"version", entry.at("version")}}.dump());
    EXPECT_EQ(stale.status, 409);
    EXPECT_NE(Json::parse(stale.body).at("message").get<std::string>().find("changed by someone else"), std::string::npos);
    store::Catalog catalog(dir);
    const auto stored = catalog.entry(catalog.dataset(catalog.project("bees"), "train"), ref);
    ASSERT_TRUE(stored);
    ASSERT_EQ(stored->objects.size(), 1u);
    EXPECT_EQ(stored->objects[0].box, (Box{10, 12, 30, 20}));
}

TEST_F(ConsoleRouterTest, LabelsAreRenamedAndDeletedAcrossTheProject) {
    demo_project(tmp.path(), dir, 6);
    const auto [cookie, csrf] = sign_in();
    const HeaderList post = {{"Cookie", cookie}, {"X-CSRF-Token", csrf}};
    const std::string project = Json::parse(operation("DescribeProjects", Json::object(), cookie, csrf).body)
                                    .at("ProjectDescriptions").at(0).at("ProjectArn");
    auto renamed = send(request("POST", "/console/api/labels/rename", post),
                        Json{{"projectArn", project}, {"from", "flower"}, {"to", "blossom"}}.dump());
    ASSERT_EQ(renamed.status, 200) << renamed.body;
    EXPECT_GT(Json::parse(renamed.body).at("entries").get<int>(), 0);
    store::Catalog catalog(dir);
    const auto train = catalog.dataset(catalog.project("bees"), "train");
    std::vector<std::string> names;
    for (const auto& l : catalog.labels(train)) names.push_back(l.label);
    EXPECT_EQ(names, (std::vector<std::string>{"bee", "blossom"}));
    auto deleted = send(request("POST", "/console/api/labels/delete", post), Json{{"projectArn", project}, {"label", "bee"}}.dump());
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    names.clear();
    for (const auto& l : catalog.labels(train)) names.push_back(l.label);
    EXPECT_EQ(names, (std::vector<std::string>{"blossom"}));
    EXPECT_EQ(catalog.entries(train).size(), 6u);  // images stay, unlabelled where they had only bees
    EXPECT_EQ(send(request("POST", "/console/api/labels/rename", post),
                   Json{{"projectArn", project}, {"from", "blossom"}, {"to", ""}}.dump()).status, 400);
}

TEST_F(ConsoleRouterTest, TheExplorerAnswersFromTheStoredPredictions) {
    try {
        nn::pretrained_model_json("centernet");
    } catch (const Error&) {
        GTEST_SKIP() << "pretrained weights missing (run scripts/setup.sh)";
    }
    demo_project(tmp.path(), dir, 12);
    std::string version;
    {
        store::Catalog catalog(dir);
        train::TrainRequest r;
        r.config.epochs = 2, r.config.image_size = 128, r.config.batch = 4, r.config.threads = 1;
        version = train::train_project(catalog, "bees", r).version.arn;
    }
    const auto [cookie, csrf] = sign_in();
    const auto get = [&, cookie = cookie](const std::string& target) {
        auto res = send(request("GET", target, {{"Cookie", cookie}}));
        EXPECT_EQ(res.status, 200) << target << ": " << res.body;
        return Json::parse(res.body);
    };
    const std::string arn = uri_encode(version, true);
    const Json at = get("/console/api/evaluation/at?projectVersionArn=" + arn + "&minConfidence=2");
    const Json all = get("/console/api/evaluation/images?projectVersionArn=" + arn + "&minConfidence=2");
    // The images' boxes add up to the labels' counts at the same threshold.
    int64_t tp = 0, fp = 0, fn = 0;
    for (const auto& l : at.at("labels"))
        tp += l.at("assumed").at("true_positives").get<int64_t>(), fp += l.at("assumed").at("false_positives").get<int64_t>(),
            fn += l.at("assumed").at("false_negatives").get<int64_t>();
    int64_t itp = 0, ifp = 0, ifn = 0;
    for (const auto& i : all.at("images"))
        itp += i.at("truePositives").get<int64_t>(), ifp += i.at("falsePositives").get<int64_t>(),
            ifn += i.at("falseNegatives").get<int64_t>();
    EXPECT_EQ(std::tie(tp, fp, fn), std::tie(itp, ifp, ifn));
    EXPECT_FALSE(all.at("datasetArn").is_null());
    // Worst first; the FP filter keeps exactly the images with a false positive.
    for (size_t i = 1; i < all.at("images").size(); ++i)
        EXPECT_GE(all["images"][i - 1]["falsePositives"].get<int>() + all["images"][i - 1]["falseNegatives"].get<int>(),
                  all["images"][i]["falsePositives"].get<int>() + all["images"][i]["falseNegatives"].get<int>());
    const Json fps = get("/console/api/evaluation/images?projectVersionArn=" + arn + "&minConfidence=2&kind=fp");
    size_t with_fp = 0;
    for (const auto& i : all.at("images")) with_fp += i.at("falsePositives").get<int>() > 0;
    EXPECT_EQ(fps.at("images").size(), with_fp);
    EXPECT_EQ(send(request("GET", "/console/api/evaluation/at?projectVersionArn=" + arn + "&minConfidence=120",
                           {{"Cookie", cookie}})).status, 400);
}

TEST_F(ConsoleRouterTest, ApiRequestsPassThroughUntouched) {
    // No cookie, no console: a JSON API request without a signature is the API's refusal.
    HttpRequest r = request("POST", "/", {{"X-Amz-Target", "RekognitionService.DescribeProjects"}});
    auto res = send(r, "{}");
    EXPECT_EQ(res.status, 403);
    EXPECT_EQ(res.header("x-amzn-ErrorType"), "MissingAuthenticationToken");
}

}  // namespace
}  // namespace apiary::service
