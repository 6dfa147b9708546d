#pragma once
// Drives a RequestHandler as the front end does, without a socket: plan(), then the body received
// as the plan asks (in memory or staged to its file with its digests), then handle().
#include <string>

#include "core/files.h"
#include "core/hash.h"
#include "service/http_front_end.h"

namespace apiary::test {

inline service::HttpResponse send_through(service::RequestHandler& handler, const service::HttpRequest& r, const std::string& body = "") {
    using namespace service;
    HttpResponse res;
    const auto plan = handler.plan(r, res);
    if (!plan) return res;
    ReceivedBody received;
    if (plan->kind == BodyPlan::Kind::File) {
        write_file_atomic(plan->staging_file, body);
        received.staged = StagedBody{plan->staging_file, static_cast<int64_t>(body.size()), md5_hex(body), sha256_hex(body)};
    } else {
        received.text = body;
    }
    handler.handle(r, received, res);
    return res;
}

}  // namespace apiary::test
