// This file implements how a builder's status, what setup and teardown did, and doctor's
// findings read: the text `hoist inspect`, `setup`, `teardown` and `doctor` print, and their
// JSON forms.

#include "report/BuilderView.h"

#include "base/Strings.h"

#include <Poco/Format.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace hoist::report
{

std::string BuilderView::size(long long bytes)
{
    if (bytes < 0)
        return "size unknown";
    if (bytes < 1024 * 1024)
        return Poco::format("%.1f KiB", bytes / 1024.0);
    if (bytes < 1024LL * 1024 * 1024)
        return Poco::format("%.1f MiB", bytes / (1024.0 * 1024));
    return Poco::format("%.2f GiB", bytes / (1024.0 * 1024 * 1024));
}

Poco::JSON::Object::Ptr BuilderView::json(const builder::BuilderStatus& s)
{
    Poco::JSON::Object::Ptr ptr = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    Poco::JSON::Object& o = *ptr;
    o.set("name", s.name);
    o.set("driver", s.driver);
    if (!s.endpoint.empty())
        o.set("endpoint", s.endpoint);
    o.set("container", s.container);
    o.set("status", builder::stateName(s.state));
    o.set("image", s.image);
    o.set("buildkitVersion", s.buildkitVersion);
    Poco::JSON::Array platforms;
    for (const auto& p : s.platforms)
        platforms.add(p);
    o.set("platforms", platforms);
    o.set("security", s.state == builder::BuilderState::Inactive ? "" : builder::securityName(s));
    o.set("createdBy", s.createdBy);
    o.set("session", s.session);
    if (!s.driverOpts.empty())
        o.set("driverOpts", Poco::JSON::Parser().parse(s.driverOpts));
    o.set("volume", s.volume);
    o.set("volumeExists", s.volumeExists);
    if (s.volumeSize >= 0)
        o.set("volumeSize", s.volumeSize);
    return ptr;
}

std::string BuilderView::text(const builder::BuilderStatus& s)
{
    std::ostringstream out;
    const bool remote = s.driver == "remote";
    out << "name:       " << s.name << "\n";
    if (remote)
        out << "driver:     remote, at " << s.endpoint << " (" << builder::stateName(s.state)
            << ")\n";
    else
        out << "container:  " << s.container << " (" << builder::stateName(s.state) << ")\n";
    if (!remote && s.state != builder::BuilderState::Inactive)
        out << "image:      " << s.image << "\n"
            << "security:   " << builder::securityName(s) << "\n"
            << "created by: " << s.createdBy << (s.session.empty() ? "" : ", session " + s.session)
            << "\n";
    if ((remote || s.state != builder::BuilderState::Inactive) && !s.driverOpts.empty() &&
        s.driverOpts != "{}")
        out << "driver-opt: " << s.driverOpts << "\n";
    if (!s.buildkitVersion.empty())
        out << "buildkit:   " << s.buildkitVersion << "\n";
    if (!s.platforms.empty())
        out << "platforms:  " << base::join(s.platforms, ", ") << "\n";
    if (!remote) // the daemon keeps its own state
        out << "volume:     " << s.volume
            << (s.volumeExists ? " (" + size(s.volumeSize) + ")" : " (none)") << "\n";
    return out.str();
}

std::string BuilderView::setupText(const std::string& action, const std::string& elapsed, bool warm,
                                   const builder::BuilderStatus& status)
{
    if (status.driver == "remote")
        return Poco::format("builder %s %s in %s (the daemon keeps its own state)\n", status.name,
                            action, elapsed) +
               text(status);
    return Poco::format("builder %s %s in %s (%s state volume)\n", status.name, action, elapsed,
                        std::string(warm ? "warm" : "new")) +
           text(status);
}

std::string BuilderView::setupJson(const std::string& action, double seconds, bool warm,
                                   const builder::BuilderStatus& status)
{
    Poco::JSON::Object o(Poco::JSON_PRESERVE_KEY_ORDER);
    o.set("action", action);
    o.set("warmState", warm);
    o.set("seconds", seconds);
    o.set("builder", json(status));
    std::ostringstream out;
    o.stringify(out, 2);
    return out.str() + "\n";
}

std::string BuilderView::heldByText(const std::vector<std::string>& jobs)
{
    const std::string count =
        jobs.size() == 1 ? std::string("another job") : std::to_string(jobs.size()) + " other jobs";
    return "the builds of " + count + " that hold it (" + base::join(jobs, ", ") + ")";
}

std::string BuilderView::teardownText(const std::string& name, const std::string& container,
                                      const std::string& volume, const builder::TeardownResult& r,
                                      bool keepDaemon, const std::string& forceFlag)
{
    std::string text = "builder " + name + ": ";
    if (keepDaemon)
        return text + "left running; buildx's store entry removed\n";
    if (!r.heldBy.empty())
        return text + "left running for " + heldByText(r.heldBy) + " (" + forceFlag +
               " removes it anyway)\n";
    text += r.removedContainer ? "removed " + container : "no container to remove";
    if (r.keptVolume)
        text += "; kept state volume " + volume +
                (r.volumeSize >= 0 ? " (" + size(r.volumeSize) + ")" : "");
    else if (r.removedVolume)
        text += "; removed state volume " + volume;
    return text + "\n";
}

std::string BuilderView::text(const doctor::Diagnosis& d)
{
    std::ostringstream text;
    for (const auto& f : d.findings)
    {
        text << Poco::format("%-5s %-13s %s\n", f.status, f.check, f.detail);
        if (!f.fix.empty())
            text << "      " << std::string(13, ' ') << " fix: " << f.fix << "\n";
    }
    text << (d.canBuild ? "builds can run on this engine\n" : "builds cannot run on this engine\n");
    return text.str();
}

std::string BuilderView::json(const doctor::Diagnosis& d)
{
    Poco::JSON::Object root(Poco::JSON_PRESERVE_KEY_ORDER);
    root.set("canBuild", d.canBuild);
    Poco::JSON::Array arr;
    for (const auto& f : d.findings)
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
    std::ostringstream text;
    root.stringify(text, 2);
    return text.str() + "\n";
}

} // namespace hoist::report
