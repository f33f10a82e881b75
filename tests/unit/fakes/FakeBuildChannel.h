#pragma once

#include "base/TarReader.h"
#include "base/TarWriter.h"
#include "builder/BuildChannel.h"

#include <Poco/Exception.h>

#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace hoist::test
{

/// A builder in memory, for unit tests of buildrun: it records every exec, hold and copy, runs
/// buildctl as the test's script says (what it prints on each stream, its exit code), and
/// answers copies out from files the test put there.
class FakeBuildChannel : public builder::BuildChannel
{
public:
    /// A lease that records its release.
    class FakeLease : public builder::Lease
    {
    public:
        explicit FakeLease(int& released) : _released(released) {}
        ~FakeLease() override
        {
            if (!_done)
                ++_released;
        }
        bool releaseAndWait(Poco::Timespan) override
        {
            if (!_done)
                ++_released;
            _done = true;
            return true;
        }

    private:
        int& _released;
        bool _done = false;
    };

    /// What buildctl does when it runs: the lines it writes on stderr (progress) and stdout,
    /// and its exit code.
    struct Script
    {
        std::vector<std::string> stderrLines;
        std::string stdoutData;
        int rc = 0;
    };

    bool helper = true;          /// false: the builder runs another CPU (no helper there)
    std::vector<Script> scripts; /// one per buildctl run, in order (the last repeats)
    std::string loadError;       /// non-empty: the engine refuses the image load
    /// Files in the builder, by how their path ends (the work directory's name is random)
    std::map<std::string, std::string> files;

    int holdsTaken = 0;
    int leasesReleased = 0;
    std::vector<std::string> holdStop, holdRemove;
    std::vector<engine::ExecSpec> execs;     /// every exec, in order
    std::vector<std::string> memoryFiles;    /// the last execWithFiles' in-memory files
    std::vector<builder::Unpack> unpackDirs; /// the last execWithFiles' directories
    /// What listing the context's mirror prints (its manifest); none: the helper cannot list it
    std::optional<std::string> mirrorManifest;
    std::vector<std::vector<std::string>> helperRuns; /// every helperOutput's args
    std::string tars;                                 /// what its writeTars wrote
    std::vector<std::string> copiedInto;              /// every copyIn's directory
    std::string copiedIn;                             /// every copyIn's tar, appended
    std::string loaded;                               /// what loadImages was given

    std::string stateDir() override { return "/var/lib/buildkit"; }

    std::string identity() override { return containerId; }
    std::string containerId = "fake-container"; /// what identity() returns
    std::string stateIdentity() override { return volumeId; }
    std::string volumeId = "fake-volume a1b2c3"; /// what stateIdentity() returns

    std::unique_ptr<builder::Lease> hold(const std::vector<std::string>& stop,
                                         const std::vector<std::string>& remove) override
    {
        if (!helper)
            return nullptr;
        ++holdsTaken;
        holdStop = stop;
        holdRemove = remove;
        return std::make_unique<FakeLease>(leasesReleased);
    }

    std::unique_ptr<builder::Lease> relay(const std::string&, const std::string&) override
    {
        return helper ? std::make_unique<FakeLease>(leasesReleased) : nullptr;
    }

    int exec(const engine::ExecSpec& spec, std::istream*,
             const engine::FrameDemuxer::Sink& out) override
    {
        execs.push_back(spec);
        if (spec.cmd.empty() || spec.cmd.front() != "buildctl")
            return 0; // the image's pkill and rm
        return runScript(out);
    }

    std::optional<int> execWithFiles(const engine::ExecSpec& spec,
                                     const std::vector<std::string>& memory,
                                     const engine::FrameDemuxer::Sink& out,
                                     const std::vector<builder::Unpack>& unpack,
                                     const TarsWriter& writeTars) override
    {
        if (!helper)
            return std::nullopt;
        execs.push_back(spec);
        memoryFiles = memory;
        unpackDirs = unpack;
        if (writeTars)
        {
            std::ostringstream s;
            writeTars(s);
            tars = s.str();
        }
        return runScript(out);
    }

    std::optional<std::string> helperOutput(const std::vector<std::string>& args,
                                            std::string& why) override
    {
        helperRuns.push_back(args);
        if (!mirrorManifest)
            why = "no helper here";
        return mirrorManifest;
    }

    void copyIn(const std::string& dir, const std::function<void(std::ostream&)>& writeTar) override
    {
        std::ostringstream s;
        writeTar(s);
        copiedInto.push_back(dir);
        copiedIn += s.str();
    }

    bool copyOut(const std::string& path, std::ostream& out) override
    {
        auto it = files.begin();
        while (it != files.end() &&
               (path.size() < it->first.size() ||
                path.compare(path.size() - it->first.size(), it->first.size(), it->first) != 0))
            ++it;
        if (it == files.end())
            return false;
        base::TarWriter tar(out);
        base::TarWriter::Entry e;
        e.name = path.substr(path.rfind('/') + 1);
        tar.addFile(e, it->second);
        tar.finish();
        return true;
    }

    std::vector<std::string> loadImages(const std::function<void(std::ostream&)>& writeTar) override
    {
        std::ostringstream s;
        writeTar(s);
        loaded = s.str();
        if (!loadError.empty())
            throw Poco::IOException(loadError);
        return {"app:latest"};
    }

    /// Returns the names of the entries of every tar in data (tars one after another).
    static std::vector<std::string> entries(const std::string& data)
    {
        std::vector<std::string> names;
        std::istringstream in(data);
        while (in.peek() != EOF)
        {
            base::TarReader::read(in, [&](base::TarReader::Entry& e) { names.push_back(e.name); });
            // The reader stops at the first end-of-archive block; skip the second.
            in.ignore(512);
        }
        return names;
    }

private:
    int runScript(const engine::FrameDemuxer::Sink& out)
    {
        const Script s = scripts.empty() ? Script{} : scripts.front();
        if (scripts.size() > 1)
            scripts.erase(scripts.begin());
        for (const auto& l : s.stderrLines)
        {
            const std::string line = l + "\n";
            out(2, line.data(), line.size());
        }
        if (!s.stdoutData.empty())
            out(1, s.stdoutData.data(), s.stdoutData.size());
        return s.rc;
    }
};

} // namespace hoist::test
