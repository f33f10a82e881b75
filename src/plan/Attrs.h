#pragma once

#include "base/Problem.h"
#include "buildrun/BuildRequest.h"
#include "cli/Options.h"

#include <set>
#include <string>
#include <utility>
#include <vector>

namespace hoist::plan
{

/// One CSV attribute list as buildx reads --output, --cache-from/--cache-to and --secret
/// ("type=local,dest=out", quoted fields allowed): its type, the other attributes in order,
/// and a bare value (buildx's "-o DIR").
struct AttrList
{
    std::string type;
    buildrun::Attrs attrs;
    std::string bare;

    /// Returns the attribute's value, or "".
    std::string attr(const std::string& key) const;

    /// Removes the attribute key and returns its value ("" when absent).
    std::string take(const std::string& key);
};

/// Parses value, given as option (named in problems); a bare field is allowed only when
/// allowBare and it is the only one.
AttrList parseAttrs(const std::string& value, const std::string& option, bool allowBare,
                    base::Problems& problems);

/// Splits "KEY=VALUE", appending a problem naming option when it is not that.
std::pair<std::string, std::string> keyValue(const std::string& value, const std::string& option,
                                             base::Problems& problems);

/// Parses buildx's --annotation value v, [TYPE[,TYPE…]:]KEY=VALUE (a TYPE is index,
/// index-descriptor, manifest or manifest-descriptor, optionally [PLATFORM]), into the
/// exporter's attributes, each type a key of its own: "annotation.KEY" for a bare key,
/// "annotation-manifest[linux/arm64].KEY". Appends a problem naming option for a bad one.
void annotationAttrs(const std::string& v, const std::string& option,
                     std::vector<std::pair<std::string, std::string>>& out,
                     base::Problems& problems);

/// Returns the registry hosts of hosts (--insecure-registry), appending a problem for each that
/// is not HOST[:PORT].
std::set<std::string> registryHosts(const cli::Texts& hosts, base::Problems& problems);

/// Appends a problem "<what>"<ref>" <why>" when ref is not an image reference (each of a
/// comma list, as buildx's name=a,b).
void checkRef(const std::string& what, const std::string& ref, base::Problems& problems);

} // namespace hoist::plan
