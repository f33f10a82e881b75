// This file implements the one content digest hoist computes itself: SHA-256, in hex, of bytes
// or of a file.

#include "base/Digest.h"

#include <Poco/DigestEngine.h>
#include <Poco/Exception.h>
#include <Poco/SHA2Engine.h>

#include <fstream>

namespace hoist::base
{

std::string sha256Hex(const std::string& bytes)
{
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(bytes);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

std::string sha256OfFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Poco::OpenFileException(path);
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    char buf[65536];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        sha.update(buf, static_cast<unsigned>(in.gcount()));
    if (in.bad())
        throw Poco::ReadFileException(path);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

} // namespace hoist::base
