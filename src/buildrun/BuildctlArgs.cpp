#include "buildrun/BuildctlArgs.h"

#include "base/Strings.h"

namespace hoist::buildrun
{

std::string Output::attr(const std::string& key) const
{
    for (const auto& [k, v] : attrs)
    {
        if (k == key)
            return v;
    }
    return "";
}

std::string BuildctlArgs::csv(const std::vector<std::pair<std::string, std::string>>& attrs)
{
    std::vector<std::string> fields;
    for (const auto& [k, v] : attrs)
    {
        std::string f = k + "=" + v;
        if (f.find_first_of(",\"") != std::string::npos)
        {
            std::string q = "\"";
            for (char c : f)
                q += c == '"' ? std::string("\"\"") : std::string(1, c);
            f = q + "\"";
        }
        fields.push_back(f);
    }
    return base::join(fields, ",");
}

std::string BuildctlArgs::remoteDest(const Output& output, std::size_t n,
                                     const std::string& workDir)
{
    if (output.type == "local")
        return workDir + "/out-" + std::to_string(n);
    if ((output.type == "tar" || output.type == "oci" || output.type == "docker") &&
        !output.hostDest.empty())
        return workDir + "/out-" + std::to_string(n) + ".tar";
    return "";
}

std::vector<std::string> BuildctlArgs::argv(const BuildRequest& r, const std::string& workDir)
{
    std::vector<std::string> a = {
        "buildctl",   "build",         "--progress", "rawjson",
        "--frontend", "dockerfile.v0", "--local",    "context=" + workDir + "/context"};
    const bool dockerfileInContext = r.dockerfileDir == r.contextDir;
    a.push_back("--local");
    a.push_back("dockerfile=" + workDir + (dockerfileInContext ? "/context" : "/dockerfile"));
    auto opt = [&](const std::string& v)
    {
        a.push_back("--opt");
        a.push_back(v);
    };
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
    {
        a.push_back("--allow");
        a.push_back("network.host");
    }
    for (std::size_t i = 0; i < r.namedContexts.size(); ++i)
    {
        const auto& [name, value] = r.namedContexts[i];
        if (base::startsWith(value, "docker-image://") || value.find("://") != std::string::npos)
            opt("context:" + name + "=" + value);
        else
        {
            const std::string local = "ctx" + std::to_string(i);
            opt("context:" + name + "=local:" + local);
            a.push_back("--local");
            a.push_back(local + "=" + workDir + "/" + local);
        }
    }
    if (r.provenance)
        opt("attest:provenance=" + *r.provenance);
    if (r.sbom)
        opt("attest:sbom=" + *r.sbom);
    for (std::size_t i = 0; i < r.outputs.size(); ++i)
    {
        Output o = r.outputs[i];
        std::string dest = remoteDest(o, i, workDir);
        if (!dest.empty())
            o.attrs.emplace_back("dest", dest);
        else if (o.type == "docker" || o.type == "oci")
            o.attrs.emplace_back("dest", "-"); // streamed from buildctl's stdout
        std::vector<std::pair<std::string, std::string>> all = {{"type", o.type}};
        all.insert(all.end(), o.attrs.begin(), o.attrs.end());
        a.push_back("--output");
        a.push_back(csv(all));
    }
    auto cache =
        [&](const std::vector<Output>& list, const char* flag, const char* dir, const char* key)
    {
        for (std::size_t i = 0; i < list.size(); ++i)
        {
            std::vector<std::pair<std::string, std::string>> all = {{"type", list[i].type}};
            all.insert(all.end(), list[i].attrs.begin(), list[i].attrs.end());
            // A local cache lives on this machine; buildctl sees a copy in the work dir.
            if (list[i].type == "local")
                all.emplace_back(key, workDir + "/" + dir + std::to_string(i));
            a.push_back(flag);
            a.push_back(csv(all));
        }
    };
    cache(r.cacheFrom, "--import-cache", "cache-from-", "src");
    cache(r.cacheTo, "--export-cache", "cache-to-", "dest");
    for (std::size_t i = 0; i < r.secrets.size(); ++i)
    {
        a.push_back("--secret");
        a.push_back("id=" + r.secrets[i].id + ",env=SECRET_" + std::to_string(i));
    }
    a.push_back("--metadata-file");
    a.push_back(workDir + "/metadata.json");
    return a;
}

std::vector<std::string> BuildctlArgs::env(const BuildRequest& r, const std::string& configDir)
{
    std::vector<std::string> e = {"DOCKER_CONFIG=" + configDir};
    for (std::size_t i = 0; i < r.secrets.size(); ++i)
        e.push_back("SECRET_" + std::to_string(i) + "=" + r.secrets[i].value);
    if (!r.ghaToken.empty())
        e.push_back("ACTIONS_RUNTIME_TOKEN=" + r.ghaToken);
    return e;
}

} // namespace hoist::buildrun
