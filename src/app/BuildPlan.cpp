// This file implements the resolution of `hoist build` options into a build request.

#include "app/BuildPlan.h"

#include "app/QemuStep.h"

#include "base/Redactor.h"
#include "base/Strings.h"
#include "builder/DriverOpts.h"
#include "buildrun/DockerIgnore.h"
#include "engine/ImageRef.h"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/File.h>
#include <Poco/FileStream.h>
#include <Poco/Path.h>
#include <Poco/StreamCopier.h>

#include <algorithm>

namespace hoist::app
{

namespace
{

std::string readFile(const std::string& path)
{
    Poco::FileInputStream in(path);
    std::string text;
    Poco::StreamCopier::copyToString(in, text);
    return text;
}

std::pair<std::string, std::string> keyValue(const std::string& v, const std::string& option,
                                             std::vector<std::string>& problems)
{
    auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0)
    {
        problems.push_back(option + " " + base::quoted(v) + " is not KEY=VALUE");
        return {};
    }
    return {v.substr(0, eq), v.substr(eq + 1)};
}

// How an attribute list starts: with type=, with type= or a bare directory (buildx's "-o DIR"),
// or with no type at all (a secret).
enum class AttrForm
{
    Typed,
    Output,
    Untyped
};

// Parses one CSV attribute list ("type=local,dest=out") into an Output; appends problems,
// naming option as the user gave it.
buildrun::Output parseAttrs(const std::string& value, const std::string& option,
                            std::vector<std::string>& problems, AttrForm form)
{
    buildrun::Output o;
    bool ok = true;
    auto fields = builder::DriverOpts::splitCsv(value, ok);
    if (!ok)
        problems.push_back(option + " " + base::quoted(value) + " has an unclosed quote");
    for (const auto& f : fields)
    {
        auto eq = f.find('=');
        if (eq == std::string::npos)
        {
            // buildx's shorthand: "-o DIR" is a local output.
            if (fields.size() == 1 && form == AttrForm::Output)
            {
                o.type = "local";
                o.hostDest = f;
                continue;
            }
            problems.push_back(option + " " + base::quoted(value) + ": " + base::quoted(f) +
                               " is not KEY=VALUE");
            continue;
        }
        std::string k = f.substr(0, eq), v = f.substr(eq + 1);
        if (k == "type")
            o.type = v;
        else
            o.attrs.emplace_back(k, v);
    }
    if (o.type.empty() && form != AttrForm::Untyped)
        problems.push_back(option + " " + base::quoted(value) + " needs type=…");
    return o;
}

void addHost(std::vector<std::string>& hosts, const std::string& ref)
{
    std::string h = engine::ImageRef::parse(ref).authKey();
    if (std::find(hosts.begin(), hosts.end(), h) == hosts.end())
        hosts.push_back(h);
}

} // namespace

void BuildPlan::Result::tell(report::Console& console) const
{
    for (const auto& w : warnings)
        console.warning(w);
    for (const auto& d : ciDefaults)
        console.note("CI default: " + d);
}

BuildPlan::Result BuildPlan::make(const cli::ParsedCommand& cmd, const ci::CiContext& ci,
                                  const base::Env& env, std::vector<std::string>& problems)
{
    Result res;
    buildrun::BuildRequest& r = res.request;
    const std::string context = cmd.positionals().empty() ? "." : cmd.positionals()[0];
    if (context.find("://") != std::string::npos || base::startsWith(context, "git@") ||
        context == "-")
        problems.push_back("the build context " + base::quoted(context) +
                           " is not supported yet: give a local directory");
    else if (!Poco::File(context).exists() || !Poco::File(context).isDirectory())
        problems.push_back("the build context " + base::quoted(context) + " is not a directory");
    r.contextDir = buildrun::DockerIgnore::clean(Poco::Path(context).makeAbsolute().toString());
    while (r.contextDir.size() > 1 && r.contextDir.back() == '/')
        r.contextDir.pop_back();

    std::string file = cmd.has("file") ? cmd.get("file") : r.contextDir + "/Dockerfile";
    if (file == "-")
        problems.push_back(cmd.givenAs("file") + " - (a Dockerfile on stdin) is not supported yet");
    else if (!Poco::File(file).exists())
        problems.push_back("no Dockerfile at " + base::quoted(file) +
                           (cmd.has("file") ? "" : " (give one with --file)"));
    std::string abs = Poco::Path(file).makeAbsolute().toString();
    if (base::startsWith(abs, r.contextDir + "/"))
    {
        r.dockerfileDir = r.contextDir;
        r.dockerfileName = abs.substr(r.contextDir.size() + 1);
    }
    else
    {
        r.dockerfileDir = Poco::Path(abs).parent().toString();
        while (r.dockerfileDir.size() > 1 && r.dockerfileDir.back() == '/')
            r.dockerfileDir.pop_back();
        r.dockerfileName = Poco::Path(abs).getFileName();
    }

    // <Dockerfile>.dockerignore replaces the context's .dockerignore, as BuildKit reads them.
    buildrun::DockerIgnore ignore;
    for (const std::string& candidate : {abs + ".dockerignore", r.contextDir + "/.dockerignore"})
    {
        if (Poco::File(candidate).exists())
        {
            ignore = buildrun::DockerIgnore::parse(readFile(candidate), candidate, problems);
            break;
        }
    }
    if (Poco::File(r.contextDir).exists())
        res.context = buildrun::ContextTar::scan(r.contextDir, ignore, problems);

    r.target = cmd.get("target");
    r.platforms = QemuStep::platforms(cmd.getList("platform"), problems);
    for (const auto& v : cmd.getList("build-arg"))
    {
        auto eq = v.find('=');
        if (eq == std::string::npos)
        {
            // buildx: KEY alone takes its value from the environment, or is left out.
            if (env.get(v))
                r.buildArgs.emplace_back(v, *env.get(v));
        }
        else
            r.buildArgs.emplace_back(v.substr(0, eq), v.substr(eq + 1));
    }
    for (const auto& v : cmd.getList("label"))
        r.labels.push_back(keyValue(v, cmd.givenAs("label"), problems));
    for (const auto& v : cmd.getList("annotation"))
        r.annotations.push_back(keyValue(v, cmd.givenAs("annotation"), problems));
    for (const auto& t : cmd.getList("tag"))
    {
        if (t.empty() || t.find_first_of(" \t") != std::string::npos)
            problems.push_back(cmd.givenAs("tag") + " " + base::quoted(t) +
                               " is not an image name");
        else
            r.tags.push_back(t);
    }

    // CI defaults (--ci-defaults, on): tags from the ref and commit when an image is pushed or
    // loaded without tags, OCI labels for the source, a cache backend that works in this CI.
    const bool ciDefaults =
        cmd.getBool("ci-defaults") && ci.provider != ci::CiContext::Provider::Local;
    bool makesImage = cmd.getBool("push") || cmd.getBool("load");
    for (const auto& v : cmd.getList("output"))
        makesImage = makesImage || v.find("type=registry") != std::string::npos ||
                     v.find("type=image") != std::string::npos ||
                     v.find("type=docker") != std::string::npos;
    if (ciDefaults && r.tags.empty() && makesImage && !ci.source.imageName.empty() &&
        !ci.source.refSlug.empty())
    {
        r.tags.push_back(ci.source.imageName + ":" + ci.source.refSlug);
        if (ci.source.sha.size() >= 7)
            r.tags.push_back(ci.source.imageName + ":" + ci.source.sha.substr(0, 7));
        res.ciDefaults.push_back("tags " + base::join(r.tags, ", ") +
                                 " (from the ref and the commit)");
    }
    if (ciDefaults)
    {
        auto label = [&](const std::string& key, const std::string& value)
        {
            if (value.empty())
                return;
            for (const auto& l : r.labels)
            {
                if (l.first == key)
                    return;
            }
            r.labels.emplace_back(key, value);
            res.ciDefaults.push_back("label " + key + "=" + value);
        };
        label("org.opencontainers.image.source", ci.source.repoUrl);
        label("org.opencontainers.image.revision", ci.source.sha);
        label("org.opencontainers.image.created", ci.source.commitTime);
    }

    // SOURCE_DATE_EPOCH from the commit time, on request (BuildKit's reproducible builds).
    bool rewriteTimestamps = false;
    if (cmd.getBool("source-date-epoch"))
    {
        int tz = 0;
        Poco::DateTime when;
        if (!ci.source.commitTime.empty() &&
            Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT,
                                           ci.source.commitTime, when, tz))
        {
            const auto epoch = (when.timestamp().epochTime() - tz);
            r.buildArgs.emplace_back("SOURCE_DATE_EPOCH", std::to_string(epoch));
            rewriteTimestamps = true;
        }
        else
            problems.push_back(
                "--source-date-epoch: the CI gives no commit time here; pass one with "
                "--build-arg SOURCE_DATE_EPOCH=SECONDS");
    }

    // Outputs: --output values, then the --push and --load shorthands.
    const std::string names = base::join(r.tags, ",");
    for (const auto& v : cmd.getList("output"))
    {
        buildrun::Output o = parseAttrs(v, cmd.givenAs("output"), problems, AttrForm::Output);
        if (o.type == "registry")
        {
            o.type = "image";
            o.attrs.emplace_back("push", "true");
        }
        if (o.type == "local" || o.type == "tar" || o.type == "oci" || o.type == "docker")
        {
            std::string dest = o.attr("dest");
            if (!dest.empty())
            {
                o.hostDest = Poco::Path(dest).makeAbsolute().toString();
                o.attrs.erase(std::remove_if(o.attrs.begin(), o.attrs.end(),
                                             [](const auto& a) { return a.first == "dest"; }),
                              o.attrs.end());
            }
            if ((o.type == "local" || o.type == "tar") && o.hostDest.empty())
                problems.push_back(cmd.givenAs("output") + " type=" + o.type + " needs dest=PATH");
        }
        else if (o.type != "image" && !o.type.empty())
            problems.push_back(cmd.givenAs("output") + " type=" + base::quoted(o.type) +
                               " is not one of image, registry, docker, oci, local, tar");
        if ((o.type == "image" || o.type == "docker" || o.type == "oci") &&
            o.attr("name").empty() && !names.empty())
            o.attrs.emplace_back("name", names);
        r.outputs.push_back(o);
    }
    if (cmd.getBool("push"))
    {
        if (r.tags.empty())
            problems.push_back(cmd.givenAs("push") + " needs at least one --tag to push to");
        r.outputs.push_back({"image", {{"name", names}, {"push", "true"}}, ""});
    }
    if (cmd.getBool("load"))
    {
        buildrun::Output o{"docker", {}, ""};
        if (!names.empty())
            o.attrs.emplace_back("name", names);
        r.outputs.push_back(o);
    }
    for (auto& o : r.outputs)
    {
        if (rewriteTimestamps && (o.type == "image" || o.type == "docker" || o.type == "oci"))
            o.attrs.emplace_back("rewrite-timestamp", "true");
        if (o.type == "image" || o.type == "docker" || o.type == "oci")
        {
            for (const auto& [k, v] : r.annotations)
                o.attrs.emplace_back("annotation." + k, v);
        }
    }
    if (r.outputs.empty())
        res.warnings.push_back("no output specified: the result stays in the build cache only; "
                               "--push pushes it, --load loads it into the engine");

    // Caches: gha gets the CI's endpoints and token, as buildx fills them on the client.
    auto caches = [&](const char* option, std::vector<buildrun::Output>& list, const char* localKey)
    {
        for (const auto& v : cmd.getList(option))
        {
            buildrun::Output c = parseAttrs(v, cmd.givenAs(option), problems, AttrForm::Typed);
            if (c.type == "local")
            {
                c.hostDest = Poco::Path(c.attr(localKey)).makeAbsolute().toString();
                if (c.attr(localKey).empty())
                    problems.push_back(cmd.givenAs(option) + " type=local needs " + localKey +
                                       "=DIR");
                c.attrs.erase(std::remove_if(c.attrs.begin(), c.attrs.end(),
                                             [&](const auto& a) { return a.first == localKey; }),
                              c.attrs.end());
            }
            else if (c.type == "gha")
            {
                // The token goes to buildctl's environment, where it reads it from, never its
                // argv: one token serves every gha cache of the build.
                std::string token = c.attr("token").empty() ? ci.gha.token : c.attr("token");
                c.attrs.erase(std::remove_if(c.attrs.begin(), c.attrs.end(),
                                             [](const auto& a) { return a.first == "token"; }),
                              c.attrs.end());
                base::Redactor::instance().add(token);
                if (!token.empty() && !r.ghaToken.empty() && token != r.ghaToken)
                    problems.push_back(cmd.givenAs(option) +
                                       " type=gha: another token than the other gha caches'; "
                                       "give them one token");
                if (c.attr("url").empty() && !ci.gha.url.empty())
                    c.attrs.emplace_back("url", ci.gha.url);
                if (c.attr("url_v2").empty() && !ci.gha.urlV2.empty())
                    c.attrs.emplace_back("url_v2", ci.gha.urlV2);
                if (token.empty() || (c.attr("url").empty() && c.attr("url_v2").empty()))
                {
                    res.warnings.push_back(
                        cmd.givenAs(option) +
                        " type=gha skipped: no GitHub cache token and URL here "
                        "(ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_URL/ACTIONS_RESULTS_URL)");
                    continue;
                }
                r.ghaToken = token;
            }
            else if (c.type == "registry")
            {
                if (c.attr("ref").empty())
                    problems.push_back(cmd.givenAs(option) + " type=registry needs ref=IMAGE");
            }
            else if (c.type != "inline" && !c.type.empty())
                problems.push_back(cmd.givenAs(option) + " type=" + base::quoted(c.type) +
                                   " is not supported yet (use registry, local, inline or gha)");
            // A failed cache export is a warning, not a failed build, unless asked otherwise.
            if (std::string(option) == "cache-to" && c.attr("ignore-error").empty() &&
                c.type != "inline")
                c.attrs.emplace_back("ignore-error", "true");
            list.push_back(c);
        }
    };
    caches("cache-from", r.cacheFrom, "src");
    caches("cache-to", r.cacheTo, "dest");
    if (ciDefaults && cmd.getList("cache-from").empty() && cmd.getList("cache-to").empty())
    {
        if (ci.provider == ci::CiContext::Provider::GitHub && !ci.gha.token.empty() &&
            !(ci.gha.url.empty() && ci.gha.urlV2.empty()))
        {
            // GitHub's cache service, one scope per job.
            std::vector<std::pair<std::string, std::string>> attrs = {{"scope", ci.jobKey}};
            r.ghaToken = ci.gha.token;
            if (!ci.gha.url.empty())
                attrs.emplace_back("url", ci.gha.url);
            if (!ci.gha.urlV2.empty())
                attrs.emplace_back("url_v2", ci.gha.urlV2);
            r.cacheFrom.push_back({"gha", attrs, ""});
            attrs.emplace_back("mode", "max");
            attrs.emplace_back("ignore-error", "true");
            r.cacheTo.push_back({"gha", attrs, ""});
            res.ciDefaults.push_back("cache type=gha,scope=" + ci.jobKey +
                                     " (GitHub's cache service)");
        }
        else if (ci.provider == ci::CiContext::Provider::GitLab && !ci.registry.host.empty() &&
                 !ci.source.imageName.empty() && !ci.source.refSlug.empty())
        {
            const std::string ref = ci.source.imageName + "/cache:" + ci.source.refSlug;
            r.cacheFrom.push_back({"registry", {{"ref", ref}}, ""});
            r.cacheTo.push_back(
                {"registry", {{"ref", ref}, {"mode", "max"}, {"ignore-error", "true"}}, ""});
            res.ciDefaults.push_back("cache type=registry,ref=" + ref +
                                     " (the project's registry)");
        }
    }

    for (const auto& v : cmd.getList("secret"))
    {
        const std::size_t known = problems.size();
        buildrun::Output s = parseAttrs(v, cmd.givenAs("secret"), problems, AttrForm::Untyped);
        if (problems.size() > known)
            continue;
        buildrun::Secret secret;
        secret.id = s.attr("id");
        std::string src = s.attr("src").empty() ? s.attr("source") : s.attr("src");
        std::string var = s.attr("env");
        if (secret.id.empty())
        {
            problems.push_back(cmd.givenAs("secret") + " " + base::quoted(v) + " needs id=ID");
            continue;
        }
        if (src.empty() && var.empty())
        {
            // buildctl's rule: the variable named like the id, else a file named like it.
            if (env.get(secret.id))
                var = secret.id;
            else
                src = secret.id;
        }
        if (!var.empty())
        {
            if (!env.get(var))
            {
                problems.push_back(cmd.givenAs("secret") + " id=" + secret.id + ": the variable " +
                                   var + " is not set");
                continue;
            }
            secret.value = *env.get(var);
        }
        else
        {
            if (!Poco::File(src).exists())
            {
                problems.push_back(cmd.givenAs("secret") + " id=" + secret.id + ": no file " +
                                   base::quoted(src));
                continue;
            }
            secret.value = readFile(src);
        }
        if (secret.value.size() > 500 * 1024)
            problems.push_back(cmd.givenAs("secret") + " id=" + secret.id +
                               " is over BuildKit's 500 KiB limit");
        base::Redactor::instance().add(secret.value);
        r.secrets.push_back(secret);
    }

    // Provenance as docker/build-push-action sets it: min and inline-only by default, with the
    // CI run as the builder id when known.
    if (cmd.has("provenance") && cmd.origin("provenance") != cli::Origin::Default)
    {
        std::string p = cmd.get("provenance");
        if (p == "false" || p == "0")
            r.provenance.reset();
        else if (p == "true" || p == "1")
            r.provenance = "mode=max";
        else
            r.provenance = p;
    }
    else
        r.provenance = "mode=min,inline-only=true";
    // As docker/build-push-action does, the CI run is the builder id unless one is given.
    if (r.provenance && !ci.runUrl.empty() &&
        r.provenance->find("builder-id=") == std::string::npos)
        *r.provenance +=
            (r.provenance->empty() ? "" : ",") + std::string("builder-id=") + ci.runUrl;
    if (cmd.has("sbom"))
    {
        std::string s = cmd.get("sbom");
        if (s == "true" || s == "1")
            r.sbom = "";
        else if (s != "false" && s != "0")
            r.sbom = s;
    }
    r.noCache = cmd.getBool("no-cache");
    r.pull = cmd.getBool("pull");
    for (const auto& v : cmd.getList("add-host"))
    {
        auto colon = v.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == v.size())
            problems.push_back(cmd.givenAs("add-host") + " " + base::quoted(v) + " is not HOST:IP");
        else
            r.addHosts.emplace_back(v.substr(0, colon), v.substr(colon + 1));
    }
    if (cmd.get("network") == "none" || cmd.get("network") == "host")
        r.network = cmd.get("network");
    for (const auto& v : cmd.getList("build-context"))
    {
        auto kv = keyValue(v, cmd.givenAs("build-context"), problems);
        if (kv.first.empty())
            continue;
        if (kv.second.find("://") == std::string::npos)
        {
            if (!Poco::File(kv.second).exists())
                problems.push_back(cmd.givenAs("build-context") + " " + kv.first +
                                   ": no directory " + base::quoted(kv.second));
            kv.second = Poco::Path(kv.second).makeAbsolute().toString();
        }
        r.namedContexts.push_back(kv);
    }
    r.metadataFile = cmd.get("metadata-file");
    r.iidFile = cmd.get("iidfile");

    for (const auto& t : r.tags)
        addHost(r.registryHosts, t);
    for (const auto* list : {&r.cacheFrom, &r.cacheTo})
    {
        for (const auto& c : *list)
        {
            if (c.type == "registry" && !c.attr("ref").empty())
                addHost(r.registryHosts, c.attr("ref"));
        }
    }
    return res;
}

} // namespace hoist::app
