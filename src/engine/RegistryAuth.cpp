// This file implements registry credential lookup.

#include "engine/RegistryAuth.h"

#include "base/Error.h"
#include "base/ProcessRunner.h"
#include "base/Redactor.h"
#include "base/Strings.h"
#include "engine/ImageRef.h"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace hoist::engine
{

namespace
{

const char* HUB_KEY = "https://index.docker.io/v1/";

void remember(const Credentials& c)
{
    for (const auto* s : {&c.password, &c.identityToken, &c.registryToken})
        base::Redactor::instance().add(*s);
}

std::string base64(const std::string& in, int options)
{
    std::ostringstream out;
    Poco::Base64Encoder enc(out, options);
    enc.rdbuf()->setLineLength(0);
    enc << in;
    enc.close();
    return out.str();
}

} // namespace

bool Credentials::empty() const
{
    return username.empty() && password.empty() && identityToken.empty() && registryToken.empty();
}

RegistryAuth::RegistryAuth(const DockerConfig& config, const base::Env& env)
    : _config(config), _env(env)
{
}

void RegistryAuth::add(const std::string& host, const Credentials& credentials)
{
    remember(credentials);
    _added[hostOf(host)] = credentials;
}

std::string RegistryAuth::hostOf(const std::string& key)
{
    if (key == HUB_KEY)
        return key;
    std::string h = key;
    auto scheme = h.find("://");
    if (scheme != std::string::npos)
        h = h.substr(scheme + 3);
    auto slash = h.find('/');
    if (slash != std::string::npos)
        h = h.substr(0, slash);
    if (h == "index.docker.io" || h == "docker.io" || h == "registry-1.docker.io")
        return HUB_KEY;
    return h;
}

Credentials RegistryAuth::lookup(const std::string& hostOrKey) const
{
    const std::string host = hostOf(hostOrKey);
    auto added = _added.find(host);
    if (added != _added.end())
        return added->second;

    std::string helper = _config.credHelper(host == HUB_KEY ? "docker.io" : host);
    if (helper.empty())
        helper = _config.credHelper(host);
    if (helper.empty())
        helper = _config.credsStore();
    if (!helper.empty())
        return fromHelper(helper, host);

    for (const auto& [key, entry] : _config.auths())
    {
        if (hostOf(key) != host)
            continue;
        Credentials c;
        c.username = entry.username;
        c.password = entry.password;
        c.identityToken = entry.identityToken;
        c.registryToken = entry.registryToken;
        c.serverAddress = host;
        remember(c);
        return c;
    }
    return Credentials();
}

Credentials RegistryAuth::fromHelper(const std::string& helper, const std::string& host) const
{
    const std::string program = "docker-credential-" + helper;
    base::ProcessResult r;
    try
    {
        r = base::ProcessRunner::run({program, "get"}, _env, host);
    }
    catch (const base::UnavailableException& e)
    {
        throw base::ConfigException(
            "the docker configuration in " + _config.dir() + " names the credential helper " +
            base::quoted(helper) + " for " + base::quoted(host) + ", but " + e.message() +
            "\nhint: install " + program + ", or remove credsStore/credHelpers from config.json");
    }
    if (r.exitCode != 0)
    {
        if (r.out.find("credentials not found") != std::string::npos)
            return Credentials();
        throw base::ConfigException(program + " get " + base::quoted(host) + " failed (exit " +
                                    std::to_string(r.exitCode) + "): " + r.err + r.out);
    }
    Credentials c;
    try
    {
        auto obj = Poco::JSON::Parser().parse(r.out).extract<Poco::JSON::Object::Ptr>();
        std::string user = obj->optValue<std::string>("Username", "");
        std::string secret = obj->optValue<std::string>("Secret", "");
        if (user == "<token>")
            c.identityToken = secret;
        else
        {
            c.username = user;
            c.password = secret;
        }
    }
    catch (const Poco::Exception& e)
    {
        throw base::ConfigException(program + " get " + base::quoted(host) +
                                    " answered something that is not its JSON: " + e.message());
    }
    c.serverAddress = host;
    remember(c);
    return c;
}

std::string RegistryAuth::headerFor(const std::string& image) const
{
    Credentials c = lookup(ImageRef::parse(image).authKey());
    return c.empty() ? "" : encodeHeader(c);
}

Credentials RegistryAuth::forRegistry(const std::string& registry) const
{
    ImageRef at;
    at.registry = registry;
    return lookup(at.authKey());
}

std::string RegistryAuth::encodeHeader(const Credentials& c)
{
    Poco::JSON::Object obj(Poco::JSON_PRESERVE_KEY_ORDER);
    if (!c.identityToken.empty())
        obj.set("identitytoken", c.identityToken);
    else
    {
        obj.set("username", c.username);
        obj.set("password", c.password);
    }
    if (!c.registryToken.empty())
        obj.set("registrytoken", c.registryToken);
    if (!c.serverAddress.empty())
        obj.set("serveraddress", c.serverAddress);
    std::ostringstream json;
    obj.stringify(json);
    return base64(json.str(), Poco::BASE64_URL_ENCODING);
}

std::string RegistryAuth::authsConfig(const std::vector<std::string>& hosts) const
{
    Poco::JSON::Object auths(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& h : hosts)
    {
        Credentials c = lookup(h);
        if (c.empty())
            continue;
        Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
        if (!c.identityToken.empty())
            entry.set("identitytoken", c.identityToken);
        else
            entry.set("auth", base64(c.username + ":" + c.password, 0));
        if (!c.registryToken.empty())
            entry.set("registrytoken", c.registryToken);
        auths.set(hostOf(h), entry);
    }
    Poco::JSON::Object root;
    root.set("auths", auths);
    std::ostringstream out;
    root.stringify(out);
    return out.str();
}

} // namespace hoist::engine
