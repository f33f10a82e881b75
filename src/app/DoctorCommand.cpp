// This file implements `hoist doctor`. The privileged check starts a container from a
// one-layer image holding hoist's own static binary, so it needs no image from a registry.

#include "app/DoctorCommand.h"

#include "app/BuildInfo.h"
#include "app/EngineConnection.h"
#include "base/Error.h"
#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/EngineError.h"
#include "engine/ImageTarball.h"
#include "engine/Images.h"
#include "engine/SecurityMode.h"
#include "engine/System.h"
#include "qemu/BinfmtRegistry.h"

#include <Poco/FileStream.h>
#include <Poco/Format.h>
#include <Poco/JSON/Array.h>
#include <Poco/StreamCopier.h>
#include <unistd.h>

#include <sys/statvfs.h>

#include <sstream>

namespace hoist::app
{

namespace
{

using Finding = DoctorCommand::Finding;

std::string str(const Poco::JSON::Object::Ptr& obj, const std::string& key)
{
    return obj && obj->has(key) && !obj->isNull(key) ? obj->get(key).convert<std::string>() : "";
}

/// Starts `/hoist version` in a container of the probe image with mode; returns "" when it
/// ran, else the engine's reason. Removes the container whatever happens.
std::string tryMode(engine::EngineClient& client, const std::string& image,
                    engine::SecurityMode mode)
{
    engine::Containers containers(client);
    const std::string name = Poco::format("hoist-doctor-%d-%s", static_cast<int>(::getpid()),
                                          engine::securityModeName(mode));
    Poco::JSON::Object config(Poco::JSON_PRESERVE_KEY_ORDER);
    config.set("Image", image);
    Poco::JSON::Array cmd;
    cmd.add("version");
    config.set("Cmd", cmd);
    Poco::JSON::Object labels;
    labels.set("dev.hoist.role", "doctor-probe");
    config.set("Labels", labels);
    Poco::JSON::Object::Ptr host = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    host->set("NetworkMode", "none");
    engine::applySecurityMode(mode, *host);
    config.set("HostConfig", host);
    std::string reason;
    try
    {
        containers.create(name, config);
        containers.start(name);
        int rc = containers.wait(name);
        if (rc != 0)
            reason =
                "the probe exited with " + std::to_string(rc) + ": " + containers.logs(name, 20);
    }
    catch (const engine::EngineApiException& e)
    {
        reason = e.engineMessage();
    }
    try
    {
        containers.remove(name, true, true);
    }
    catch (const Poco::Exception&)
    {
    }
    return reason;
}

std::string readSelf()
{
    Poco::FileInputStream in("/proc/self/exe");
    std::string bytes;
    Poco::StreamCopier::copyToString(in, bytes);
    return bytes;
}

void checkSecurity(engine::EngineClient& client, const BuildInfo& info, std::vector<Finding>& out,
                   bool& canBuild)
{
    const std::string tag =
        Poco::format("hoist.local/doctor-probe:%s-%d", info.version, static_cast<int>(::getpid()));
    engine::Images images(client);
    std::map<std::string, engine::ImageTarball::File> files;
    files["hoist"] = {0755, readSelf()};
    const std::string arch = info.platform.substr(info.platform.find('/') + 1);
    images.load([&](std::ostream& o)
                { engine::ImageTarball::write(o, tag, arch, files, {"/hoist"}); },
                nullptr);
    std::string privileged, fallback;
    try
    {
        privileged = tryMode(client, tag, engine::SecurityMode::Privileged);
        if (!privileged.empty())
            fallback = tryMode(client, tag, engine::SecurityMode::Capabilities);
    }
    catch (...)
    {
        images.remove(tag, true);
        throw;
    }
    images.remove(tag, true);

    if (privileged.empty())
    {
        out.push_back({"privileged", "ok", "privileged containers start (what buildx uses)", ""});
        return;
    }
    const bool caps = engine::isCapabilityRefusal(privileged);
    out.push_back({"privileged", caps ? "warn" : "fail",
                   "the engine refuses privileged containers: " + privileged,
                   caps ? "dockerd's own capability bounding set is short (often CAP_SYS_RESOURCE, "
                          "when it was started from a restricted process tree); restart dockerd "
                          "from a full-capability context to get buildx's exact setup"
                        : "allow privileged containers (rootless or userns-remapped engines do "
                          "not), or use a rootless BuildKit image (docs/testing.md)"});
    if (!fallback.empty())
    {
        canBuild = false;
        out.push_back({"capabilities", "fail",
                       "the capability fallback does not start either: " + fallback,
                       "use a rootless BuildKit image (image user not root): scripts/testenv "
                       "builds one, see docs/testing.md"});
        return;
    }
    out.push_back({"capabilities", "ok",
                   "containers with every capability the engine grants, seccomp and AppArmor "
                   "unconfined start: hoist runs builders this way here",
                   ""});
}

} // namespace

int DoctorCommand::run(const cli::ParsedCommand& cmd, const base::Env& env,
                       report::Console& console)
{
    std::vector<Finding> out;
    bool canBuild = true;
    const BuildInfo info = BuildInfo::current();

    EngineConnection conn(env, cmd);
    engine::EngineClient& client = conn.client();
    const engine::Endpoint& ep = client.transport().endpoint();
    out.push_back({"endpoint", "info", ep.url() + ", chosen by " + ep.origin, ""});

    try
    {
        client.ping();
        engine::System system(client);
        auto version = system.version();
        auto sysinfo = system.info();
        out.push_back(
            {"engine", "ok",
             Poco::format("Docker %s, API %s (hoist speaks %s), %s/%s, kernel %s",
                          str(version, "Version"), str(version, "ApiVersion"), client.apiVersion(),
                          str(version, "Os"), str(version, "Arch"), str(version, "KernelVersion")),
             ""});
        std::string cgroupDriver = str(sysinfo, "CgroupDriver");
        out.push_back(
            {"cgroups", "ok",
             "driver " + cgroupDriver + ", version " + str(sysinfo, "CgroupVersion") +
                 (cgroupDriver == "cgroupfs"
                      ? " (builders go under the cgroup parent /docker/buildx, as buildx does)"
                      : " (no cgroup parent, as buildx does for this driver)"),
             ""});
        std::string storage =
            "driver " + str(sysinfo, "Driver") + ", data root " + str(sysinfo, "DockerRootDir");
        struct statvfs fs;
        if (ep.kind == engine::Endpoint::Kind::Unix &&
            ::statvfs(str(sysinfo, "DockerRootDir").c_str(), &fs) == 0)
        {
            double freeGiB =
                static_cast<double>(fs.f_bavail) * fs.f_frsize / (1024.0 * 1024 * 1024);
            storage += Poco::format(", %.1f GiB free", freeGiB);
            out.push_back({"storage", freeGiB < 5 ? "warn" : "ok", storage,
                           freeGiB < 5
                               ? "free some space: builds and the state volume need several GiB"
                               : ""});
        }
        else
            out.push_back(
                {"storage", "info", storage + " (free space unknown for a remote engine)", ""});
        auto secopts = sysinfo->getArray("SecurityOptions");
        std::vector<std::string> opts;
        for (std::size_t i = 0; secopts && i < secopts->size(); ++i)
            opts.push_back(secopts->getElement<std::string>(static_cast<unsigned>(i)));
        out.push_back({"security", "info",
                       opts.empty() ? "no security options" : base::join(opts, "; "), ""});
        checkSecurity(client, info, out, canBuild);
    }
    catch (const base::UnavailableException& e)
    {
        canBuild = false;
        std::string msg = e.message();
        std::string fix;
        auto hint = msg.find("\nhint: ");
        if (hint != std::string::npos)
        {
            fix = msg.substr(hint + 7);
            msg = msg.substr(0, hint);
        }
        out.push_back({"engine", "fail", msg, fix});
    }

    if (ep.kind == engine::Endpoint::Kind::Unix)
    {
        qemu::BinfmtRegistry binfmt = qemu::BinfmtRegistry::read();
        std::vector<std::string> emus;
        for (const auto& e : binfmt.emulators())
            emus.push_back(e.name.substr(5) +
                           (e.fixBinary() ? "" : " (no F flag: not usable in containers)"));
        if (!binfmt.mounted())
            out.push_back(
                {"binfmt_misc", "warn", "not mounted on this host",
                 "multi-platform builds need it: hoist setup registers QEMU when a build asks "
                 "for a foreign platform"});
        else
            out.push_back({"binfmt_misc", "ok",
                           emus.empty()
                               ? "mounted, no QEMU emulators registered (setup registers them "
                                 "when a build needs one)"
                               : "QEMU emulators: " + base::join(emus, ", "),
                           ""});
    }
    else
        out.push_back({"binfmt_misc", "info", "not checked: the engine is not on this host", ""});

    std::ostringstream text;
    if (cmd.getBool("json"))
    {
        Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
        root.set("canBuild", canBuild);
        Poco::JSON::Array arr;
        for (const auto& f : out)
        {
            Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
            o.set("check", f.check);
            o.set("status", f.status);
            o.set("detail", f.detail);
            if (!f.fix.empty())
                o.set("fix", f.fix);
            arr.add(o);
        }
        root.set("findings", arr);
        root.stringify(text, 2);
        text << "\n";
    }
    else
    {
        for (const auto& f : out)
        {
            text << Poco::format("%-5s %-13s %s\n", f.status, f.check, f.detail);
            if (!f.fix.empty())
                text << "      " << std::string(13, ' ') << " fix: " << f.fix << "\n";
        }
        text << (canBuild ? "builds can run on this engine\n"
                          : "builds cannot run on this engine\n");
    }
    console.print(text.str());
    return canBuild ? base::EXIT_OK : base::EXIT_UNAVAILABLE;
}

} // namespace hoist::app
