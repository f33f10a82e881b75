// This file implements registering the host's qemu-user-static emulators with binfmt_misc,
// each line built from its binfmt.d entry with the F flag, a registration without F disabled.

#include "qemu/HostInstaller.h"

#include "base/Error.h"
#include "base/Files.h"
#include "base/Strings.h"

#include <Poco/File.h>
#include <Poco/String.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

namespace hoist::qemu
{

namespace
{
// Removes one binfmt_misc entry ("-1" written to it); returns errno, 0 when done.
int removeEntry(const std::string& path)
{
    int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return errno;
    const int err = ::write(fd, "-1", 2) == 2 ? 0 : errno;
    ::close(fd);
    return err;
}
} // namespace

HostInstaller::HostInstaller(Hints hints, std::string binfmtDir, std::string confDir,
                             std::string binDir)
    : _hints(std::move(hints)),
      _binfmtDir(std::move(binfmtDir)),
      _confDir(std::move(confDir)),
      _binDir(std::move(binDir))
{
}

std::string HostInstaller::registration(const std::string& arch) const
{
    const std::string binary = _binDir + "/qemu-" + arch + "-static";
    const std::string conf = _confDir + "/qemu-" + arch + ".conf";
    if (!Poco::File(binary).exists() || !Poco::File(conf).exists())
        throw base::UnavailableException(
            "cannot register QEMU for " + arch +
            " from the host: " + (Poco::File(binary).exists() ? conf : binary) + " does not exist" +
            "\nhint: install Debian's qemu-user-static (apt-get install qemu-user-static), or "
            "use " +
            _hints.useImage);
    const std::string text = base::readFile(conf);
    // ":name:type:offset:magic:mask:interpreter:flags". Debian's interpreter is a wrapper
    // (…/qemu-binfmt/<arch>-binfmt-P) that tells QEMU the kernel preserves argv[0] (the P
    // flag), which multi-call binaries such as busybox need to know what to run: kept, with F
    // added. Without it, the static emulator itself, with F alone.
    auto fields = base::split(Poco::trim(text), ':');
    if (fields.size() < 8)
        throw base::UnavailableException("cannot read the binfmt entry in " + conf);
    const std::string head = ":" + fields[1] + ":" + fields[2] + ":" + fields[3] + ":" + fields[4] +
                             ":" + fields[5] + ":";
    const std::string& interpreter = fields[6];
    std::string flags = fields[7];
    if (!interpreter.empty() && Poco::File(interpreter).exists())
        return head + interpreter + ":" +
               (flags.find('F') == std::string::npos ? flags + "F" : flags);
    return head + binary + ":F";
}

void HostInstaller::install(const std::vector<std::string>& archs) const
{
    if (!Poco::File(_binfmtDir + "/register").exists())
        throw base::UnavailableException("binfmt_misc is not mounted at " + _binfmtDir +
                                         "\nhint: mount it (mount -t binfmt_misc binfmt_misc "
                                         "/proc/sys/fs/binfmt_misc), or use " +
                                         _hints.useImage);
    for (const auto& arch : archs)
    {
        const std::string line = registration(arch);
        // An entry without F (e.g. Debian's qemu-user-binfmt) does not work in containers and
        // blocks the name: disable it first.
        const std::string existing = _binfmtDir + "/qemu-" + arch;
        if (Poco::File(existing).exists())
            (void)removeEntry(existing);
        // The F flag loads the interpreter now, so it works in every container later.
        int fd = ::open((_binfmtDir + "/register").c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0 || ::write(fd, line.data(), line.size()) != static_cast<ssize_t>(line.size()))
        {
            std::string why = std::strerror(errno);
            if (fd >= 0)
                ::close(fd);
            if (Poco::File(_binfmtDir + "/qemu-" + arch).exists())
                continue; // registered meanwhile (another job): fine
            throw base::UnavailableException(
                "the kernel refused the QEMU registration for " + arch + ": " + why +
                "\nhint: registering needs root; or use " + _hints.useImage);
        }
        ::close(fd);
    }
}

bool HostInstaller::has(const std::string& arch) const
{
    return Poco::File(_binDir + "/qemu-" + arch + "-static").exists() &&
           Poco::File(_confDir + "/qemu-" + arch + ".conf").exists();
}

void HostInstaller::uninstall(const std::vector<std::string>& names) const
{
    for (const auto& name : names)
    {
        const std::string path = _binfmtDir + "/" + name;
        const int err = removeEntry(path);
        if (err != 0 && Poco::File(path).exists())
            throw base::UnavailableException(
                "the kernel refused to remove the QEMU registration " + name + ": " +
                std::strerror(err) + "\nhint: removing needs root; or use " + _hints.useImage);
    }
}

} // namespace hoist::qemu
