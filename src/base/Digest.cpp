// This file implements the one content digest hoist computes itself: SHA-256, in hex.

#include "base/Digest.h"

#include <Poco/DigestEngine.h>
#include <Poco/SHA2Engine.h>

namespace hoist::base
{

std::string sha256Hex(const std::string& bytes)
{
    Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
    sha.update(bytes);
    return Poco::DigestEngine::digestToHex(sha.digest());
}

} // namespace hoist::base
