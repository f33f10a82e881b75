#pragma once

#include <string>

namespace hoist::qemu
{

/// How the user asks for the other ways to register QEMU, for the hints of messages: filled
/// by the caller from the options as the user can give them (the module spells none).
struct Hints
{
    std::string useImage;   /// e.g. --qemu image
    std::string useHost;    /// e.g. --qemu host
    std::string otherImage; /// e.g. --qemu-image
    std::string off;        /// how QEMU was turned off, e.g. --qemu=off
};

} // namespace hoist::qemu
