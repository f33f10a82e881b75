#pragma once

#include <map>
#include <ostream>
#include <string>
#include <vector>

namespace hoist::engine
{

/// Writes a one-layer image in `docker save` form (manifest.json, config, layer.tar), for
/// POST /images/load: how hoist makes small helper images without any registry.
class ImageTarball
{
public:
    /// One file of the layer.
    struct File
    {
        unsigned mode = 0755;
        std::string content;
    };

    /// Writes the image tag (e.g. "hoist.local/probe:1") for platform architecture arch
    /// ("amd64"), holding files (path → file) and running entrypoint, to out.
    static void write(std::ostream& out, const std::string& tag, const std::string& arch,
                      const std::map<std::string, File>& files,
                      const std::vector<std::string>& entrypoint);
};

} // namespace hoist::engine
