#include "engine/ImageRef.h"

namespace hoist::engine
{

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
        r.repository = first == std::string::npos ? "library/" + rest : rest;
    }
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
