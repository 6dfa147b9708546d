#pragma once
// The web console's front door, in front of the API router on the same port: /console/… is the
// console (sign-in, session cookie, CSRF token, assets, the operations under the session, the
// console's own endpoints), a browser's GET / is redirected there, and every other request goes
// to the API router untouched. Authentication happens in plan(), before any body byte is read.
#include <string>

#include "service/console_assets.h"
#include "service/console_endpoints.h"
#include "service/console_sessions.h"
#include "service/http_front_end.h"

namespace apiary::store {
class CredentialStore;
}  // namespace apiary::store

namespace apiary::service {

class ApiRouter;

struct ConsoleOptions {
    bool enabled = true;
    bool auth = true;     // false (--no-auth): any key id signs in, as every request is accepted
    std::string dev_dir;  // --console-dir: serve console/ from disk, unbundled
    SignInLimits sign_in;
    ConsoleSettings settings;
    size_t max_operation_body = 16 * 1024 * 1024;  // as the API's JSON requests
    size_t max_endpoint_body = 1024 * 1024;
};

class ConsoleRouter : public RequestHandler {
public:
    ConsoleRouter(const ConsoleOptions& options, ApiRouter& api, store::CredentialStore& credentials,
                  ConsoleEndpoints& endpoints);

    std::optional<BodyPlan> plan(const HttpRequest& head, HttpResponse& refusal) override;
    void handle(const HttpRequest& request, ReceivedBody& body, HttpResponse& response) override;
    HttpResponse fault_response(TransportFault fault, const HttpRequest* head, const std::string& detail) override;

private:
    bool is_console(const HttpRequest& head) const;
    std::optional<ConsoleSession> session_of(const HttpRequest& head);
    // Why a console request may not go on (empty: it may), and the status to refuse it with.
    std::string refusal_reason(const HttpRequest& head, int& status);
    void sign_in(const HttpRequest& request, const std::string& body, HttpResponse& response);
    void route(const HttpRequest& request, ReceivedBody& body, HttpResponse& response);
    void secure(const HttpRequest& request, HttpResponse& response) const;

    ConsoleOptions options_;
    ApiRouter& api_;
    store::CredentialStore& credentials_;
    ConsoleEndpoints& endpoints_;
    ConsoleSessions sessions_;
    ConsoleAssets assets_;
};

// The console's S3 path, /console/s3/<bucket>/<key>, as the S3 request /<bucket>/<key>.
HttpRequest console_s3_request(const HttpRequest& request);

}  // namespace apiary::service
