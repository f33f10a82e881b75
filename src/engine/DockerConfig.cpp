// This file implements reading the docker CLI's config.json from $DOCKER_CONFIG or ~/.docker:
// the current context, credsStore, credHelpers, and the auths with their base64 "auth" decoded.

#include "engine/DockerConfig.h"

#include "base/Error.h"

#include <Poco/Base64Decoder.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace hoist::engine
{

namespace
{

std::string decodeBase64(const std::string& in)
{
    std::istringstream src(in);
    Poco::Base64Decoder decoder(src);
    std::string out;
    char c;
    while (decoder.get(c))
        out += c;
    return out;
}

std::string str(const Poco::JSON::Object::Ptr& obj, const std::string& key)
{
    return obj && obj->has(key) && !obj->isNull(key) ? obj->getValue<std::string>(key) : "";
}

} // namespace

DockerConfig DockerConfig::load(const base::Env& env)
{
    DockerConfig cfg;
    if (env.has("DOCKER_CONFIG"))
        cfg._dir = *env.get("DOCKER_CONFIG");
    else
        cfg._dir = env.getOr("HOME", "/root") + "/.docker";

    std::string path = cfg._dir + "/config.json";
    if (!Poco::File(path).exists())
        return cfg;
    Poco::JSON::Object::Ptr root;
    try
    {
        Poco::FileInputStream in(path);
        root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
    }
    catch (const Poco::Exception& e)
    {
        throw base::ConfigException(
            "cannot read the docker configuration \"" + path + "\": " + e.displayText() +
            "\nhint: fix the file, or point DOCKER_CONFIG at another directory");
    }
    cfg._currentContext = str(root, "currentContext");
    cfg._credsStore = str(root, "credsStore");
    if (auto helpers = root->getObject("credHelpers"))
    {
        for (const auto& key : helpers->getNames())
            cfg._credHelpers[key] = helpers->getValue<std::string>(key);
    }
    if (auto auths = root->getObject("auths"))
    {
        for (const auto& key : auths->getNames())
        {
            auto entry = auths->getObject(key);
            AuthEntry a;
            a.username = str(entry, "username");
            a.password = str(entry, "password");
            a.identityToken = str(entry, "identitytoken");
            a.registryToken = str(entry, "registrytoken");
            std::string auth = str(entry, "auth");
            if (!auth.empty())
            {
                // "auth" is standard base64 of user:password, split at the first colon.
                std::string decoded = decodeBase64(auth);
                auto colon = decoded.find(':');
                if (colon != std::string::npos)
                {
                    a.username = decoded.substr(0, colon);
                    a.password = decoded.substr(colon + 1);
                    while (!a.password.empty() && a.password.back() == '\0')
                        a.password.pop_back();
                }
            }
            cfg._auths[key] = a;
        }
    }
    return cfg;
}

const std::string& DockerConfig::dir() const
{
    return _dir;
}

const std::string& DockerConfig::currentContext() const
{
    return _currentContext;
}

const std::string& DockerConfig::credsStore() const
{
    return _credsStore;
}

std::string DockerConfig::credHelper(const std::string& host) const
{
    auto it = _credHelpers.find(host);
    return it == _credHelpers.end() ? "" : it->second;
}

const std::map<std::string, DockerConfig::AuthEntry>& DockerConfig::auths() const
{
    return _auths;
}

} // namespace hoist::engine
