// This file implements image references by the distribution reference grammar: what is wrong
// with one, its registry, repository, tag and digest with Docker Hub normalised, and its auth
// key.

#include "engine/ImageRef.h"

#include <Poco/RegularExpression.h>
#include <Poco/String.h>

namespace hoist::engine
{

namespace
{

// the grammar of github.com/distribution/reference (its regexp.go).
const std::string PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*";
const std::string DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const std::string DOMAIN =
    "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?";
const std::string TAG = "[\\w][\\w.-]{0,127}";
const std::string DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";

bool matches(const std::string& pattern, const std::string& s)
{
    return Poco::RegularExpression("^(?:" + pattern + ")\\z").match(s);
}

// Splits ref into name, tag and digest the way the grammar anchors them.
void split(const std::string& ref, std::string& name, std::string& tag, std::string& digest,
           bool& hasTag, bool& hasDigest)
{
    name = ref;
    const auto at = name.find('@');
    hasDigest = at != std::string::npos;
    if (hasDigest)
    {
        digest = name.substr(at + 1);
        name = name.substr(0, at);
    }
    const auto slash = name.rfind('/');
    const auto colon = name.rfind(':');
    hasTag = colon != std::string::npos && (slash == std::string::npos || colon > slash);
    if (hasTag)
    {
        tag = name.substr(colon + 1);
        name = name.substr(0, colon);
    }
}

std::string nameProblem(const std::string& name)
{
    if (name.empty())
        return "it has no repository name";
    if (name.size() > 255)
        return "the repository name is over 255 characters";
    // The first component is a registry when it has a dot or a port, is localhost, or has an
    // upper-case letter (ParseNormalizedNamed's rule).
    std::string path = name;
    const auto first = name.find('/');
    if (first != std::string::npos)
    {
        const std::string head = name.substr(0, first);
        if (head.find_first_of(".:") != std::string::npos || head == "localhost" ||
            head.find_first_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ") != std::string::npos)
        {
            if (!matches(DOMAIN, head))
                return "the registry host " + head + " is invalid";
            path = name.substr(first + 1);
        }
    }
    const std::string repository = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
    if (matches(repository, Poco::toLower(path)) && !matches(repository, path))
        return "the repository name " + path + " has upper-case letters (it must be lower case)";
    if (!matches(repository, path))
        return "the repository name must be lower-case letters and digits, separated by one "
               "'.', one or two '_' or any '-'s, in components joined by '/'";
    return "";
}

} // namespace

std::string ImageRef::problem(const std::string& ref, bool withTag)
{
    std::string name, tag, digest;
    bool hasTag = false, hasDigest = false;
    split(ref, name, tag, digest, hasTag, hasDigest);
    if (!withTag && (hasTag || hasDigest))
        return "is a repository name with a tag or digest: give the name alone";
    const std::string what = "is not an image reference: ";
    std::string p = nameProblem(name);
    if (!p.empty())
        return what + p;
    if (hasTag && !matches(TAG, tag))
        return what + (tag.empty() ? "the tag after ':' is empty"
                                   : "the tag " + tag +
                                         " is invalid (at most 128 letters, digits, '_', '.' "
                                         "and '-', not starting with '.' or '-')");
    if (hasDigest && !matches(DIGEST, digest))
        return what + "the digest " + digest + " is invalid (algorithm:hex, e.g. sha256:…)";
    return "";
}

ImageRef ImageRef::parse(const std::string& ref)
{
    ImageRef r;
    std::string rest = ref;
    auto at = rest.find('@');
    if (at != std::string::npos)
    {
        r.digest = rest.substr(at + 1);
        rest = rest.substr(0, at);
    }
    auto slash = rest.rfind('/');
    auto colon = rest.rfind(':');
    if (colon != std::string::npos && (slash == std::string::npos || colon > slash))
    {
        r.tag = rest.substr(colon + 1);
        rest = rest.substr(0, colon);
    }
    if (r.tag.empty() && r.digest.empty())
        r.tag = "latest";
    r.name = rest;

    // The first component is a registry when it has a dot or a port, or is "localhost".
    auto first = rest.find('/');
    std::string head = first == std::string::npos ? "" : rest.substr(0, first);
    if (!head.empty() && (head.find('.') != std::string::npos ||
                          head.find(':') != std::string::npos || head == "localhost"))
    {
        r.registry = head;
        r.repository = rest.substr(first + 1);
    }
    else
    {
        r.registry = "docker.io";
        r.repository = rest;
    }
    // Docker Hub by any of its names is one registry, its official images under library/
    // (as the distribution reference normalises "docker.io/alpine" and "alpine").
    if (r.registry == "index.docker.io")
        r.registry = "docker.io";
    if (r.registry == "docker.io" && r.repository.find('/') == std::string::npos)
        r.repository = "library/" + r.repository;
    return r;
}

std::string ImageRef::authKey() const
{
    if (registry == "docker.io" || registry == "index.docker.io" ||
        registry == "registry-1.docker.io")
        return "https://index.docker.io/v1/";
    return registry;
}

} // namespace hoist::engine
