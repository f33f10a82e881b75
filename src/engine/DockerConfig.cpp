// This file implements reading the docker CLI's config.json from $DOCKER_CONFIG or ~/.docker:
// the current context, credsStore, credHelpers, and the auths with their base64 "auth" decoded.

#include "engine/DockerConfig.h"

#include "base/AtomicFile.h"
#include "base/Base64.h"
#include "base/Error.h"
#include "base/Files.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include <sstream>

namespace hoist::engine
{

namespace
{

std::string str(const Poco::JSON::Object::Ptr& obj, const std::string& key)
{
    return obj && obj->has(key) && !obj->isNull(key) ? obj->getValue<std::string>(key) : "";
}

// One entry of "auths": its fields, or "auth", standard base64 of user:password split at the
// first colon.
DockerConfig::AuthEntry authEntry(const Poco::JSON::Object::Ptr& entry)
{
    DockerConfig::AuthEntry a;
    a.username = str(entry, "username");
    a.password = str(entry, "password");
    a.identityToken = str(entry, "identitytoken");
    a.registryToken = str(entry, "registrytoken");
    std::string auth = str(entry, "auth");
    if (!auth.empty())
    {
        std::string decoded = base::fromBase64(auth);
        auto colon = decoded.find(':');
        if (colon != std::string::npos)
        {
            a.username = decoded.substr(0, colon);
            a.password = decoded.substr(colon + 1);
            while (!a.password.empty() && a.password.back() == '\0')
                a.password.pop_back();
        }
    }
    return a;
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
    if (Poco::File(path).exists())
    {
        try
        {
            Poco::FileInputStream in(path);
            cfg.read(Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>(), true);
        }
        catch (const Poco::Exception& e)
        {
            throw base::ConfigException(
                "cannot read the docker configuration \"" + path + "\": " + e.displayText() +
                "\nhint: fix the file, or point DOCKER_CONFIG at another directory");
        }
    }
    // GitLab's way to log a job in to other registries: a config.json's content (or, as a File
    // variable, its path), whose logins count where config.json has none for the registry.
    std::string inline_ = Poco::trim(env.getOr("DOCKER_AUTH_CONFIG", ""));
    if (!inline_.empty() && inline_[0] != '{' && Poco::File(inline_).exists() &&
        Poco::File(inline_).isFile())
    {
        try
        {
            inline_ = base::readFile(inline_);
        }
        catch (const Poco::Exception& e)
        {
            throw base::ConfigException(
                "cannot read DOCKER_AUTH_CONFIG's file: " + e.displayText() +
                "\nhint: make it readable, or unset the variable");
        }
    }
    if (!inline_.empty())
    {
        try
        {
            cfg.read(Poco::JSON::Parser().parse(inline_).extract<Poco::JSON::Object::Ptr>(), false);
        }
        catch (const Poco::Exception& e)
        {
            throw base::ConfigException("DOCKER_AUTH_CONFIG is not a docker configuration (JSON "
                                        "with \"auths\"): " +
                                        e.displayText() + "\nhint: fix the variable, or unset it");
        }
    }
    return cfg;
}

void DockerConfig::read(const Poco::JSON::Object::Ptr& root, bool whole)
{
    if (whole)
    {
        _currentContext = str(root, "currentContext");
        _credsStore = str(root, "credsStore");
    }
    if (auto helpers = root->getObject("credHelpers"))
    {
        for (const auto& key : helpers->getNames())
            _credHelpers.emplace(key, helpers->getValue<std::string>(key));
    }
    if (auto auths = root->getObject("auths"))
    {
        for (const auto& key : auths->getNames())
            _auths.emplace(key, authEntry(auths->getObject(key)));
    }
}

void DockerConfig::aliasBuilderToBuildx(const std::string& dir)
{
    const std::string path = dir + "/config.json";
    Poco::JSON::Object::Ptr root = new Poco::JSON::Object;
    if (Poco::File(path).exists())
    {
        try
        {
            Poco::FileInputStream in(path);
            root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        }
        catch (const Poco::Exception& e)
        {
            throw base::ConfigException("cannot read the docker configuration \"" + path +
                                        "\": " + e.displayText() +
                                        "\nhint: fix the file, or point DOCKER_CONFIG at another "
                                        "directory");
        }
    }
    Poco::JSON::Object::Ptr aliases = root->getObject("aliases");
    if (!aliases)
        aliases = new Poco::JSON::Object;
    aliases->set("builder", "buildx");
    root->set("aliases", aliases);
    std::ostringstream text;
    root->stringify(text, 1);
    Poco::File(dir).createDirectories();
    base::AtomicFile file(path, 0600);
    file.write(text.str().data(), text.str().size());
    file.commit();
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
