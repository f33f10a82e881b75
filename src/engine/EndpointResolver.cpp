// This file implements the engine endpoint resolution of the docker CLI
// (cli/command/cli.go resolveContextName, opts/hosts.go, cli/context/docker/load.go).

#include "engine/EndpointResolver.h"

#include "base/Digest.h"
#include "base/Error.h"
#include "base/Strings.h"

#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>
#include <Poco/Thread.h>

namespace hoist::engine
{

namespace
{

const char* DEFAULT_SOCKET = "/var/run/docker.sock";

bool exists(const std::string& path)
{
    return Poco::File(path).exists();
}

} // namespace

EndpointResolver::EndpointResolver(const base::Env& env, const DockerConfig& config)
    : _env(env), _config(config)
{
}

Endpoint EndpointResolver::resolve() const
{
    Endpoint e = pick();
    // ssh runs with the environment hoist was given (HOME, SSH_AUTH_SOCK, …).
    if (e.kind == Endpoint::Kind::Ssh)
    {
        for (const auto& [name, value] : _env.all())
            e.sshEnvironment.push_back(name + "=" + value);
    }
    return e;
}

Endpoint EndpointResolver::pick() const
{
    if (_env.has("DOCKER_HOST"))
        return fromDockerHost();
    if (_env.has("DOCKER_CONTEXT"))
        return fromContext(*_env.get("DOCKER_CONTEXT"), "DOCKER_CONTEXT");
    if (!_config.currentContext().empty())
        return fromContext(_config.currentContext(),
                           "currentContext in " + _config.dir() + "/config.json");
    // The docker image's entrypoint: with no socket but a dind certificate directory, the
    // engine is the "docker" service (GitLab's docker:dind).
    if (!exists(DEFAULT_SOCKET) && _env.has("DOCKER_TLS_CERTDIR"))
    {
        Endpoint e = fromDockerHostValue("tcp://docker:2376");
        e.origin = "the docker:dind service (no DOCKER_HOST, DOCKER_TLS_CERTDIR set)";
        return e;
    }
    Endpoint e = parseHost(std::string("unix://") + DEFAULT_SOCKET, false, "default");
    e.origin = "the default socket (DOCKER_HOST and docker context unset)";
    e.buildxKey = std::string("unix://") + DEFAULT_SOCKET;
    return e;
}

Endpoint EndpointResolver::fromDockerHost() const
{
    return fromDockerHostValue(*_env.get("DOCKER_HOST"));
}

Endpoint EndpointResolver::fromDockerHostValue(const std::string& host) const
{
    // The docker CLI turns TLS on for any non-empty DOCKER_TLS_VERIFY, even "0".
    bool verify = _env.has("DOCKER_TLS_VERIFY");
    bool tls = verify || _env.has("DOCKER_TLS");

    // GitLab's docker:dind service writes client certificates to $DOCKER_TLS_CERTDIR/client.
    std::string certDir;
    std::string gitlabDir = _env.getOr("DOCKER_TLS_CERTDIR", "");
    if (!gitlabDir.empty())
        gitlabDir += "/client";
    // A dind service writes its client certificates a moment after the job starts: wait a
    // little for them rather than fail on a race.
    if (!gitlabDir.empty() && (verify || host.find(":2376") != std::string::npos))
    {
        for (int i = 0; i < _certWaitTenths && !exists(gitlabDir + "/ca.pem"); ++i)
            Poco::Thread::sleep(100);
    }
    if (_env.has("DOCKER_CERT_PATH"))
        certDir = *_env.get("DOCKER_CERT_PATH");
    else if (!gitlabDir.empty() && exists(gitlabDir + "/ca.pem"))
        certDir = gitlabDir;
    else
        certDir = _config.dir();

    Endpoint e = parseHost(host, tls, "DOCKER_HOST");
    if (e.kind == Endpoint::Kind::Tcp && !tls && e.port == 2376 && certDir == gitlabDir)
    {
        // tcp://docker:2376 with dind's certificates present is TLS, as docker:cli assumes.
        tls = verify = true;
    }
    e.origin = "DOCKER_HOST";
    e.buildxKey = host;
    if (e.kind == Endpoint::Kind::Tcp && tls)
    {
        e.tls = true;
        e.verify = verify;
        if (exists(certDir + "/ca.pem"))
            e.caFile = certDir + "/ca.pem";
        if (exists(certDir + "/cert.pem") && exists(certDir + "/key.pem"))
        {
            e.certFile = certDir + "/cert.pem";
            e.keyFile = certDir + "/key.pem";
        }
        if (verify && e.caFile.empty())
            throw base::ConfigException(
                "DOCKER_TLS_VERIFY is set but there is no CA certificate at \"" + certDir +
                "/ca.pem\"\nhint: set DOCKER_CERT_PATH to the directory holding ca.pem, cert.pem "
                "and key.pem (in GitLab with docker:dind: DOCKER_TLS_CERTDIR=/certs, and the "
                "runner sharing /certs/client with the service: volumes = [\"/certs/client\"] "
                "for the docker executor, an empty_dir at /certs/client for Kubernetes)");
        e.origin += verify ? " with DOCKER_TLS_VERIFY" : " with DOCKER_TLS";
        e.origin += ", certificates from " + certDir;
    }
    return e;
}

Endpoint EndpointResolver::fromContext(const std::string& name, const std::string& origin) const
{
    if (name == "default")
    {
        Endpoint e = parseHost(std::string("unix://") + DEFAULT_SOCKET, false, origin);
        e.origin = "docker context \"default\" (from " + origin + ")";
        e.buildxKey = std::string("unix://") + DEFAULT_SOCKET;
        return e;
    }
    std::string id = contextId(name);
    std::string meta = _config.dir() + "/contexts/meta/" + id + "/meta.json";
    if (!exists(meta))
        throw base::ConfigException(
            "docker context " + base::quoted(name) + " (from " + origin +
            ") does not exist: no \"" + meta +
            "\"\nhint: create it with 'docker context create', or unset " +
            (origin == "DOCKER_CONTEXT" ? "DOCKER_CONTEXT" : "currentContext"));
    std::string host;
    bool skipVerify = false;
    try
    {
        Poco::FileInputStream in(meta);
        auto root = Poco::JSON::Parser().parse(in).extract<Poco::JSON::Object::Ptr>();
        auto endpoints = root->getObject("Endpoints");
        auto docker = endpoints ? endpoints->getObject("docker") : nullptr;
        if (!docker || !docker->has("Host"))
            throw base::ConfigException("no docker endpoint");
        host = docker->getValue<std::string>("Host");
        skipVerify = docker->has("SkipTLSVerify") && docker->getValue<bool>("SkipTLSVerify");
    }
    catch (const Poco::Exception& e)
    {
        throw base::ConfigException("cannot read docker context " + base::quoted(name) +
                                    " from \"" + meta + "\": " + e.message());
    }
    std::string tlsDir = _config.dir() + "/contexts/tls/" + id + "/docker";
    bool hasTlsFiles = exists(tlsDir + "/ca.pem") || exists(tlsDir + "/cert.pem");
    bool tls = hasTlsFiles || skipVerify;
    Endpoint e = parseHost(host, tls, "docker context " + base::quoted(name));
    e.origin = "docker context " + base::quoted(name) + " (from " + origin + ")";
    e.buildxKey = name;
    if (e.kind == Endpoint::Kind::Tcp && tls)
    {
        e.tls = true;
        e.verify = !skipVerify;
        if (exists(tlsDir + "/ca.pem"))
            e.caFile = tlsDir + "/ca.pem";
        if (exists(tlsDir + "/cert.pem") && exists(tlsDir + "/key.pem"))
        {
            e.certFile = tlsDir + "/cert.pem";
            e.keyFile = tlsDir + "/key.pem";
        }
    }
    return e;
}

Endpoint EndpointResolver::parseSsh(const std::string& rest, const std::string& host,
                                    const std::string& what)
{
    // ssh://[user@]host[:port][/path], as the docker CLI reads it: no password, query or
    // fragment.
    // A password never reaches a message: the user's part (up to the last '@' before the
    // path) is shown up to its first ':'.
    const std::string auth = rest.substr(0, rest.find('/'));
    const auto atSign = auth.rfind('@');
    const auto pwColon = auth.find(':');
    const bool password = atSign != std::string::npos && pwColon < atSign;
    const std::string shown =
        password ? "ssh://" + auth.substr(0, pwColon) + ":***" + rest.substr(atSign) : host;
    const std::string bad = what + " " + base::quoted(shown);
    if (rest.find_first_of("?#") != std::string::npos)
        throw base::ConfigException(bad + ": an ssh:// endpoint takes no query or fragment");
    Endpoint e;
    e.kind = Endpoint::Kind::Ssh;
    std::string authority = rest.substr(0, rest.find('/'));
    if (rest.find('/') != std::string::npos)
        e.socketPath = rest.substr(rest.find('/'));
    while (e.socketPath.size() > 1 && e.socketPath.back() == '/')
        e.socketPath.pop_back();
    if (e.socketPath == "/")
        e.socketPath.clear();
    const auto at = authority.rfind('@');
    if (at != std::string::npos)
    {
        e.sshUser = authority.substr(0, at);
        authority = authority.substr(at + 1);
        if (e.sshUser.find(':') != std::string::npos)
            throw base::ConfigException(bad + ": a password in an ssh:// endpoint is not "
                                              "supported; use a key (ssh-agent or ~/.ssh/config)");
    }
    const auto colon = authority.rfind(':');
    e.host = authority.substr(0, colon);
    unsigned port = 0;
    if (colon != std::string::npos &&
        (!Poco::NumberParser::tryParseUnsigned(authority.substr(colon + 1), port) || port == 0 ||
         port > 65535))
        throw base::ConfigException(bad + " has an invalid port " +
                                    base::quoted(authority.substr(colon + 1)));
    if (e.host.empty())
        throw base::ConfigException(bad + " has no host; use ssh://[USER@]HOST[:PORT]");
    e.port = static_cast<unsigned short>(port);
    return e;
}

Endpoint EndpointResolver::parseHost(const std::string& host, bool tls, const std::string& what)
{
    Endpoint e;
    std::string rest;
    auto scheme = host.find("://");
    std::string proto = scheme == std::string::npos ? "tcp" : host.substr(0, scheme);
    rest = scheme == std::string::npos ? host : host.substr(scheme + 3);

    if (proto == "unix")
    {
        e.kind = Endpoint::Kind::Unix;
        e.socketPath = rest.empty() ? DEFAULT_SOCKET : rest;
        return e;
    }
    if (proto == "ssh")
        return parseSsh(rest, host, what);
    if (proto == "fd" || proto == "npipe")
        throw base::NotSupportedYetException(what + " " + base::quoted(host) + ": " + proto +
                                             ":// engine endpoints are not supported yet");
    if (proto != "tcp")
        throw base::ConfigException(what + " " + base::quoted(host) + " has an unknown scheme " +
                                    base::quoted(proto) + "; use unix://PATH or tcp://HOST:PORT");

    e.kind = Endpoint::Kind::Tcp;
    auto slash = rest.find('/');
    if (slash != std::string::npos)
    {
        e.basePath = rest.substr(slash);
        rest = rest.substr(0, slash);
        while (!e.basePath.empty() && e.basePath.back() == '/')
            e.basePath.pop_back();
    }
    std::string portText;
    if (!rest.empty() && rest[0] == '[')
    {
        auto close = rest.find(']');
        if (close == std::string::npos)
            throw base::ConfigException(what + " " + base::quoted(host) +
                                        ": unclosed '[' in IPv6 address");
        e.host = rest.substr(1, close - 1);
        if (close + 1 < rest.size() && rest[close + 1] == ':')
            portText = rest.substr(close + 2);
    }
    else
    {
        auto colon = rest.rfind(':');
        e.host = colon == std::string::npos ? rest : rest.substr(0, colon);
        if (colon != std::string::npos)
            portText = rest.substr(colon + 1);
    }
    if (e.host.empty())
        throw base::ConfigException(what + " " + base::quoted(host) +
                                    " has no host; use tcp://HOST:PORT");
    unsigned port = tls ? 2376 : 2375;
    if (!portText.empty() &&
        (!Poco::NumberParser::tryParseUnsigned(portText, port) || port == 0 || port > 65535))
        throw base::ConfigException(what + " " + base::quoted(host) + " has an invalid port " +
                                    base::quoted(portText));
    e.port = static_cast<unsigned short>(port);
    return e;
}

std::string EndpointResolver::contextId(const std::string& name)
{
    return base::sha256Hex(name);
}

} // namespace hoist::engine
