// This file implements the build request's buildctl argv and environment, the source policy and
// sync keys of its local copies, and the request's small helpers (type names, platform keys).

#include "buildrun/BuildctlArgs.h"

#include "builder/DriverOpts.h"

#include "base/Digest.h"
#include "base/Strings.h"
#include "builder/MemoryFiles.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace hoist::buildrun
{

namespace
{

std::string find(const Attrs& attrs, const std::string& key)
{
    for (const auto& [k, v] : attrs)
    {
        if (k == key)
            return v;
    }
    return "";
}

} // namespace

const char* typeName(OutputType type)
{
    switch (type)
    {
    case OutputType::Image:
        return "image";
    case OutputType::Docker:
        return "docker";
    case OutputType::Oci:
        return "oci";
    case OutputType::Local:
        return "local";
    case OutputType::Tar:
        return "tar";
    }
    return "image";
}

const char* typeName(CacheType type)
{
    switch (type)
    {
    case CacheType::Registry:
        return "registry";
    case CacheType::Local:
        return "local";
    case CacheType::Inline:
        return "inline";
    case CacheType::Gha:
        return "gha";
    case CacheType::S3:
        return "s3";
    case CacheType::Azblob:
        return "azblob";
    }
    return "registry";
}

std::string Output::attr(const std::string& key) const
{
    return find(attrs, key);
}

bool Output::makesImage() const
{
    return type == OutputType::Image || type == OutputType::Docker || type == OutputType::Oci;
}

std::string platformKey(const std::vector<std::string>& platforms)
{
    std::string key;
    for (const auto& platform : platforms)
    {
        key += key.empty() ? "" : "_";
        for (char c : platform)
            key += c == '/' ? '-' : c;
    }
    return key;
}

bool isLocalDir(const std::string& namedContext)
{
    return namedContext.find("://") == std::string::npos && !base::startsWith(namedContext, "git@");
}

std::string Cache::attr(const std::string& key) const
{
    return find(attrs, key);
}

std::string BuildctlArgs::csv(const Attrs& attrs)
{
    std::vector<std::string> fields;
    for (const auto& [k, v] : attrs)
        fields.push_back(builder::DriverOpts::csvField(k + "=" + v));
    return base::join(fields, ",");
}

std::string BuildctlArgs::sshSocket(const std::string& workDir, std::size_t n)
{
    return workDir + "/ssh-" + std::to_string(n) + ".sock";
}

std::string BuildctlArgs::remoteDest(const Output& output, std::size_t n,
                                     const std::string& workDir)
{
    if (output.type == OutputType::Local)
        return workDir + "/out-" + std::to_string(n);
    if (output.type != OutputType::Image && !output.hostDest.empty())
        return workDir + "/out-" + std::to_string(n) + ".tar";
    return "";
}

namespace
{

// The frontend's options: --opt values from the request.
void frontendOptions(const BuildRequest& r, std::vector<std::string>& a)
{
    auto opt = [&](const std::string& v) { a.insert(a.end(), {"--opt", v}); };
    opt("filename=" + r.dockerfileName);
    if (!r.target.empty())
        opt("target=" + r.target);
    if (!r.platforms.empty())
        opt("platform=" + base::join(r.platforms, ","));
    for (const auto& [k, v] : r.buildArgs)
        opt("build-arg:" + k + "=" + v);
    for (const auto& [k, v] : r.labels)
        opt("label:" + k + "=" + v);
    if (r.noCache)
        opt("no-cache=");
    if (r.pull)
        opt("image-resolve-mode=pull");
    if (!r.addHosts.empty())
    {
        std::vector<std::string> hosts;
        for (const auto& [h, ip] : r.addHosts)
            hosts.push_back(h + "=" + ip);
        opt("add-hosts=" + base::join(hosts, ","));
    }
    if (!r.network.empty())
        opt("force-network-mode=" + r.network);
    if (r.network == "host")
        a.insert(a.end(), {"--allow", "network.host"});
    if (r.shmSize > 0)
        opt("shm-size=" + std::to_string(r.shmSize));
    if (!r.ulimits.empty())
        opt("ulimit=" + base::join(r.ulimits, ","));
    if (!r.cgroupParent.empty())
        opt("cgroup-parent=" + r.cgroupParent);
    for (const auto& [attr, value] : r.resources)
        opt(attr + "=" + value);
    if (!r.noCacheFilter.empty())
        opt("no-cache=" + base::join(r.noCacheFilter, ","));
    for (const auto& e : r.allow)
    {
        if (e != "network.host" || r.network != "host")
            a.insert(a.end(), {"--allow", e});
    }
    if (!r.call.empty())
        opt("requestid=frontend." + r.call);
    if (r.provenance)
        opt("attest:provenance=" + *r.provenance);
    if (r.sbom)
        opt("attest:sbom=" + *r.sbom);
}

// The digest of dir's whole-second files, "" when it has none (BuildctlArgs::syncKey).
std::string contentOf(const BuildRequest& r, const std::string& dir)
{
    auto it = r.wholeSecondDigests.find(dir);
    return it == r.wholeSecondDigests.end() ? "" : it->second;
}

// Named contexts: images and URLs as they are, local directories from the work dir, each
// copied by BuildKit under its own directory's key (the frontend's sharedkey:localdir).
void namedContexts(const BuildRequest& r, const std::string& workDir, std::vector<std::string>& a)
{
    for (std::size_t i = 0; i < r.namedContexts.size(); ++i)
    {
        const auto& [name, value] = r.namedContexts[i];
        if (!isLocalDir(value))
        {
            a.insert(a.end(), {"--opt", "context:" + name + "=" + value});
            continue;
        }
        const std::string local = "ctx" + std::to_string(i);
        a.insert(a.end(), {"--opt", "context:" + name + "=local:" + local, "--opt",
                           "sharedkey:localdir:" + name + "=" +
                               BuildctlArgs::syncKey(r.nodeId, value, contentOf(r, value)),
                           "--local", local + "=" + workDir + "/" + local});
    }
}

// Caches, a local one's directory being its copy in the work dir.
void caches(const std::vector<Cache>& list, const char* flag, const std::string& dir,
            const char* key, std::vector<std::string>& a)
{
    for (std::size_t i = 0; i < list.size(); ++i)
    {
        Attrs all = {{"type", typeName(list[i].type)}};
        all.insert(all.end(), list[i].attrs.begin(), list[i].attrs.end());
        if (list[i].type == CacheType::Local)
            all.emplace_back(key, dir + std::to_string(i));
        a.insert(a.end(), {flag, BuildctlArgs::csv(all)});
    }
}

} // namespace

std::string BuildctlArgs::metadataFile(const std::string& workDir)
{
    return workDir + "/metadata.json";
}

std::string BuildctlArgs::refFile(const std::string& workDir)
{
    return workDir + "/ref";
}

std::string BuildctlArgs::syncKey(const std::string& nodeId, const std::string& dir,
                                  const std::string& content)
{
    const std::string key = "hoist-" + base::sha256Hex(nodeId + "\n" + dir).substr(0, 32);
    return content.empty() ? key : key + "-" + content.substr(0, 16);
}

std::string BuildctlArgs::sourcePolicyFile(const std::string& workDir)
{
    return workDir + "/source-policy.json";
}

std::string BuildctlArgs::sourcePolicy(const BuildRequest& r)
{
    // CONVERT local://context whose key hint is still the frontend's "context": the new hint
    // no longer matches, so the rule applies once.
    Poco::JSON::Object constraint(Poco::JSON_PRESERVE_KEY_ORDER);
    constraint.set("key", "local.sharedkeyhint");
    constraint.set("value", "context");
    constraint.set("condition", "EQUAL");
    Poco::JSON::Array constraints;
    constraints.add(constraint);
    Poco::JSON::Object selector(Poco::JSON_PRESERVE_KEY_ORDER);
    selector.set("identifier", "local://context");
    selector.set("constraints", constraints);
    Poco::JSON::Object attrs;
    attrs.set("local.sharedkeyhint",
              "context:" + syncKey(r.nodeId, r.contextDir, contentOf(r, r.contextDir)));
    Poco::JSON::Object updates;
    updates.set("attrs", attrs);
    Poco::JSON::Object rule(Poco::JSON_PRESERVE_KEY_ORDER);
    rule.set("action", "CONVERT");
    rule.set("selector", selector);
    rule.set("updates", updates);
    Poco::JSON::Array rules;
    rules.add(rule);
    Poco::JSON::Object policy(Poco::JSON_PRESERVE_KEY_ORDER);
    policy.set("version", 1);
    policy.set("rules", rules);
    std::ostringstream out;
    policy.stringify(out);
    return out.str();
}

std::vector<std::string> BuildctlArgs::argv(const BuildRequest& r, const std::string& workDir,
                                            SecretPassing secrets, const std::string& inputDir,
                                            const std::string& contextDir)
{
    const std::string& in = inputDir.empty() ? workDir : inputDir;
    std::vector<std::string> a = {"buildctl", "build",      "--progress",
                                  "rawjson",  "--frontend", "dockerfile.v0"};
    // A remote context is BuildKit's to fetch; a Dockerfile on this machine travels apart.
    if (r.remoteContext.empty())
        a.insert(a.end(),
                 {"--local", "context=" + (contextDir.empty() ? in + "/context" : contextDir),
                  "--source-policy-file", sourcePolicyFile(workDir)});
    else
        a.insert(a.end(), {"--opt", "context=" + r.remoteContext});
    if (!r.dockerfileDir.empty())
        a.insert(a.end(), {"--local", "dockerfile=" + in + "/dockerfile"});
    if (!r.remoteContext.empty() && !r.dockerfileDir.empty())
        a.insert(a.end(), {"--opt", "dockerfilekey=dockerfile"});
    frontendOptions(r, a);
    namedContexts(r, workDir, a);
    for (std::size_t i = 0; i < r.outputs.size(); ++i)
    {
        Output o = r.outputs[i];
        std::string dest = remoteDest(o, i, workDir);
        if (!dest.empty())
            o.attrs.emplace_back("dest", dest);
        else if (o.type == OutputType::Docker || o.type == OutputType::Oci)
            o.attrs.emplace_back("dest", "-"); // streamed from buildctl's stdout
        Attrs all = {{"type", typeName(o.type)}};
        all.insert(all.end(), o.attrs.begin(), o.attrs.end());
        a.insert(a.end(), {"--output", csv(all)});
    }
    caches(r.cacheFrom, "--import-cache", workDir + "/cache-from-", "src", a);
    caches(r.cacheTo, "--export-cache", workDir + "/cache-to-", "dest", a);
    for (std::size_t i = 0; i < r.secrets.size(); ++i)
        a.insert(a.end(), {"--secret", "id=" + r.secrets[i].id +
                                           (secrets == SecretPassing::MemoryFiles
                                                ? ",src=" + builder::MemoryFiles::path(i)
                                                : ",env=SECRET_" + std::to_string(i))});
    std::size_t file = r.secrets.size(); // keys follow the secrets in memory
    for (std::size_t i = 0; i < r.ssh.size(); ++i)
    {
        std::vector<std::string> paths;
        if (!r.ssh[i].agentSocket.empty())
            paths.push_back(sshSocket(workDir, i));
        for (std::size_t k = 0; k < r.ssh[i].keys.size(); ++k)
            paths.push_back(builder::MemoryFiles::path(file++));
        a.insert(a.end(), {"--ssh", r.ssh[i].id + "=" + base::join(paths, ",")});
    }
    a.insert(a.end(), {"--metadata-file", metadataFile(workDir), "--ref-file", refFile(workDir)});
    return a;
}

std::vector<std::string> BuildctlArgs::env(const BuildRequest& r, const std::string& configDir,
                                           SecretPassing secrets)
{
    std::vector<std::string> e = {"DOCKER_CONFIG=" + configDir};
    for (std::size_t i = 0; secrets == SecretPassing::Environment && i < r.secrets.size(); ++i)
        e.push_back("SECRET_" + std::to_string(i) + "=" + r.secrets[i].value);
    if (!r.ghaToken.empty())
        e.push_back("ACTIONS_RUNTIME_TOKEN=" + r.ghaToken);
    return e;
}

} // namespace hoist::buildrun
