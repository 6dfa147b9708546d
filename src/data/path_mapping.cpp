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
                               const ImportOptions& options) {
    const bool confined = options.confinement == SourceConfinement::ResolverOnly;
    const auto found = [&](const std::filesystem::path& p) {
        const auto path = normalise_path(p);
        return ResolvedRef{path, "", confined ? ref : path.string()};
    };
    if (options.resolver)
        if (auto path = options.resolver(ref))
            return path->empty() ? ResolvedRef{{}, "no such object: " + ref, ref} : found(*path);
    // Confined, a ref the resolver does not claim is refused in the same words whatever it names,
    // so the answer tells nothing about the files on this machine (nor echoes a path back).
    if (confined) return {{}, "not an object in this server's buckets; a source-ref must be s3://BUCKET/KEY", ref};
    const PathMapping* best = nullptr;
    for (const auto& m : options.maps)
        if (prefix_matches(ref, m.prefix) && (!best || m.prefix.size() > best->prefix.size())) best = &m;
    if (best) {
        std::string rest = ref.substr(best->prefix.size());
        while (!rest.empty() && rest.front() == '/') rest.erase(0, 1);
        return found(rest.empty() ? best->dir : best->dir / rest);
    }
    const std::string scheme = scheme_of(ref);
    if (scheme == "file") return found(ref.substr(7));
    if (!scheme.empty()) {
        std::string hint = scheme == "s3" ? "; add --map s3://bucket/prefix=DIR to read these images from a local folder"
                                          : "; only local files and mapped prefixes can be read";
        return {{}, "no mapping for '" + ref + "'" + hint, ref};
    }
    const std::filesystem::path p(ref);
    return found(p.is_absolute() ? p : base_dir / p);
}

}  // namespace detail
}  // namespace apiary::data
