#include "data/path_mapping.h"

#include <cctype>

#include "core/error.h"
#include "data/record.h"

namespace apiary::data {

PathMapping PathMapping::parse(const std::string& spec) {
    // The last '=' splits: S3 keys often contain '=' (key=value partitions), local folders rarely do.
    const auto eq = spec.rfind('=');
    if (eq == std::string::npos) throw Error("--map '" + spec + "': expected PREFIX=DIR, e.g. s3://bucket/images=./images");
    PathMapping m{spec.substr(0, eq), spec.substr(eq + 1)};
    if (m.prefix.empty() || m.dir.empty()) throw Error("--map '" + spec + "': both PREFIX and DIR must be non-empty");
    return m;
}

namespace detail {
namespace {

// "s3://b/img" must not capture "s3://b/images/x.jpg": a prefix matches only up to a '/'.
bool prefix_matches(const std::string& ref, const std::string& prefix) {
    if (ref.compare(0, prefix.size(), prefix) != 0) return false;
    return ref.size() == prefix.size() || prefix.back() == '/' || ref[prefix.size()] == '/';
}

std::string scheme_of(const std::string& ref) {
    const auto colon = ref.find("://");
    if (colon == std::string::npos || colon == 0) return "";
    for (size_t i = 0; i < colon; ++i)
        if (!std::isalnum(static_cast<unsigned char>(ref[i])) && ref[i] != '+' && ref[i] != '-' && ref[i] != '.') return "";
    return ref.substr(0, colon);
}

}  // namespace

ResolvedRef resolve_source_ref(const std::string& ref, const std::filesystem::path& base_dir,
                               const std::vector<PathMapping>& maps, const SourceResolver& resolver) {
    if (resolver)
        if (auto path = resolver(ref))
            return path->empty() ? ResolvedRef{{}, "no such object: " + ref} : ResolvedRef{normalise_path(*path), ""};
    const PathMapping* best = nullptr;
    for (const auto& m : maps)
        if (prefix_matches(ref, m.prefix) && (!best || m.prefix.size() > best->prefix.size())) best = &m;
    if (best) {
        std::string rest = ref.substr(best->prefix.size());
        while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
        return {normalise_path(rest.empty() ? best->dir : best->dir / rest), ""};
    }
    const std::string scheme = scheme_of(ref);
    if (scheme == "file") return {normalise_path(ref.substr(7)), ""};
    if (!scheme.empty()) {
        std::string hint = scheme == "s3" ? "; add --map s3://bucket/prefix=DIR to read these images from a local folder"
                                          : "; only local files and mapped prefixes can be read";
        return {{}, "no mapping for '" + ref + "'" + hint};
    }
    const std::filesystem::path p(ref);
    return {normalise_path(p.is_absolute() ? p : base_dir / p), ""};
}

}  // namespace detail
}  // namespace apiary::data
