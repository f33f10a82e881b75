// This file implements `hoist doctor`'s checks. The privileged check starts a container from a
// one-layer image holding hoist's own static binary, so it needs no image from a registry.

#include "doctor/Doctor.h"

#include "base/Error.h"
#include "base/Files.h"
#include "base/Strings.h"
#include "engine/Containers.h"
#include "engine/EngineError.h"
#include "engine/ImageTarball.h"
#include "engine/Images.h"
#include "engine/SecurityMode.h"
#include "engine/System.h"
#include "qemu/BinfmtRegistry.h"

#include <Poco/Format.h>

#include <sys/statvfs.h>
#include <unistd.h>

namespace hoist::doctor
{

namespace
{

/// Starts `/hoist version` in a container of the probe image with mode; returns "" when it
/// ran, else the engine's reason. Removes the container whatever happens.
std::string tryMode(engine::EngineClient& client, const std::string& image,
                    engine::SecurityMode mode)
{
    engine::Containers containers(client);
    const std::string name = Poco::format("hoist-doctor-%d-%s", static_cast<int>(::getpid()),
                                          engine::securityModeName(mode));
    engine::ContainerCreate config;
    config.image = image;
    config.cmd = std::vector<std::string>{"version"};
    config.labels = {{"dev.hoist.role", "doctor-probe"}};
    config.host.networkMode = "none";
    config.host.security = mode;
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
    return base::readFile("/proc/self/exe");
}

// The privileged and capabilities findings, from the engine's answers to each ("" ran).
void securityFindings(const std::string& privileged, const std::string& fallback, Diagnosis& d)
{
    std::vector<Finding>& out = d.findings;
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
        d.canBuild = false;
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

Doctor::Doctor(engine::EngineClient& client, std::string version, std::string arch)
    : _client(client), _version(std::move(version)), _arch(std::move(arch))
{
}

Diagnosis Doctor::run()
{
    Diagnosis d;
    const engine::Endpoint& ep = _client.endpoint();
    d.findings.push_back({"endpoint", "info", ep.url() + ", chosen by " + ep.origin, ""});
    try
    {
        _client.ping();
        engineFacts(d);
        security(d);
    }
    catch (const base::UnavailableException& e)
    {
        d.canBuild = false;
        std::string msg = e.message();
        std::string fix;
        auto hint = msg.find("\nhint: ");
        if (hint != std::string::npos)
        {
            fix = msg.substr(hint + 7);
            msg = msg.substr(0, hint);
        }
        d.findings.push_back({"engine", "fail", msg, fix});
    }
    binfmt(d);
    return d;
}

void Doctor::engineFacts(Diagnosis& d)
{
    engine::System system(_client);
    const engine::VersionInfo version = system.version();
    const engine::SystemInfo info = system.info();
    d.findings.push_back({"engine", "ok",
                          Poco::format("Docker %s, API %s (hoist speaks %s), %s/%s, kernel %s",
                                       version.version, version.apiVersion, _client.apiVersion(),
                                       version.os, version.arch, version.kernelVersion),
                          ""});
    d.findings.push_back(
        {"cgroups", "ok",
         "driver " + info.cgroupDriver + ", version " + info.cgroupVersion +
             (info.cgroupDriver == "cgroupfs"
                  ? " (builders go under the cgroup parent /docker/buildx, as buildx does)"
                  : " (no cgroup parent, as buildx does for this driver)"),
         ""});
    std::string storage = "driver " + info.driver + ", data root " + info.dockerRootDir;
    struct statvfs fs;
    if (_client.endpoint().kind == engine::Endpoint::Kind::Unix &&
        ::statvfs(info.dockerRootDir.c_str(), &fs) == 0)
    {
        double freeGiB = static_cast<double>(fs.f_bavail) * fs.f_frsize / (1024.0 * 1024 * 1024);
        storage += Poco::format(", %.1f GiB free", freeGiB);
        d.findings.push_back(
            {"storage", freeGiB < 5 ? "warn" : "ok", storage,
             freeGiB < 5 ? "free some space: builds and the state volume need several GiB" : ""});
    }
    else
        d.findings.push_back(
            {"storage", "info", storage + " (free space unknown for a remote engine)", ""});
    d.findings.push_back({"security", "info",
                          info.securityOptions.empty() ? "no security options"
                                                       : base::join(info.securityOptions, "; "),
                          ""});
}

void Doctor::security(Diagnosis& d)
{
    const std::string tag =
        Poco::format("hoist.local/doctor-probe:%s-%d", _version, static_cast<int>(::getpid()));
    engine::Images images(_client);
    std::map<std::string, engine::ImageTarball::File> files;
    files["hoist"] = {0755, readSelf()};
    images.load([&](std::ostream& o)
                { engine::ImageTarball::write(o, tag, _arch, files, {"/hoist"}); },
                nullptr);
    std::string privileged, fallback;
    try
    {
        privileged = tryMode(_client, tag, engine::SecurityMode::Privileged);
        if (!privileged.empty())
            fallback = tryMode(_client, tag, engine::SecurityMode::Capabilities);
    }
    catch (...)
    {
        images.remove(tag, true);
        throw;
    }
    images.remove(tag, true);
    if (privileged.empty() || engine::isCapabilityRefusal(privileged))
        d.refusesPrivileged = !privileged.empty();
    securityFindings(privileged, fallback, d);
}

void Doctor::binfmt(Diagnosis& d)
{
    if (_client.endpoint().kind != engine::Endpoint::Kind::Unix)
    {
        d.findings.push_back(
            {"binfmt_misc", "info", "not checked: the engine is not on this host", ""});
        return;
    }
    qemu::BinfmtRegistry binfmt = qemu::BinfmtRegistry::read();
    std::vector<std::string> emus;
    for (const auto& e : binfmt.emulators())
        emus.push_back(e.name.substr(5) +
                       (e.fixBinary() ? "" : " (no F flag: not usable in containers)"));
    if (!binfmt.mounted())
        d.findings.push_back({"binfmt_misc", "warn", "not mounted on this host",
                              "multi-platform builds need it: hoist setup registers QEMU when a "
                              "build asks for a foreign platform"});
    else
        d.findings.push_back({"binfmt_misc", "ok",
                              emus.empty() ? "mounted, no QEMU emulators registered (setup "
                                             "registers them when a build needs one)"
                                           : "QEMU emulators: " + base::join(emus, ", "),
                              ""});
}

} // namespace hoist::doctor
