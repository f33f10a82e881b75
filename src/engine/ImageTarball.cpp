// This file implements a one-layer image written in `docker save` form (config, layer.tar,
// manifest.json), for POST /images/load.

#include "engine/ImageTarball.h"

#include "base/Digest.h"
#include "base/TarWriter.h"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <sstream>

namespace hoist::engine
{

void ImageTarball::write(std::ostream& out, const std::string& tag, const std::string& arch,
                         const std::map<std::string, File>& files,
                         const std::vector<std::string>& entrypoint)
{
    // The layer must be hashed before the manifest names it; helper images are small.
    std::ostringstream layerStream;
    base::TarWriter layer(layerStream);
    for (const auto& [path, file] : files)
    {
        base::TarWriter::Entry e;
        e.name = path;
        e.mode = file.mode;
        layer.addFile(e, file.content);
    }
    layer.finish();
    const std::string layerTar = layerStream.str();
    const std::string layerId = base::sha256Hex(layerTar);

    Poco::JSON::Object config(Poco::JSON_PRESERVE_KEY_ORDER);
    config.set("architecture", arch);
    config.set("os", "linux");
    Poco::JSON::Object inner;
    Poco::JSON::Array ep;
    for (const auto& a : entrypoint)
        ep.add(a);
    inner.set("Entrypoint", ep);
    config.set("config", inner);
    Poco::JSON::Object rootfs(Poco::JSON_PRESERVE_KEY_ORDER);
    rootfs.set("type", "layers");
    Poco::JSON::Array diffIds;
    diffIds.add("sha256:" + layerId);
    rootfs.set("diff_ids", diffIds);
    config.set("rootfs", rootfs);
    std::ostringstream configJson;
    config.stringify(configJson);
    const std::string configId = base::sha256Hex(configJson.str());

    Poco::JSON::Object entry(Poco::JSON_PRESERVE_KEY_ORDER);
    entry.set("Config", configId + ".json");
    Poco::JSON::Array tags;
    tags.add(tag);
    entry.set("RepoTags", tags);
    Poco::JSON::Array layers;
    layers.add(layerId + "/layer.tar");
    entry.set("Layers", layers);
    Poco::JSON::Array manifest;
    manifest.add(entry);
    std::ostringstream manifestJson;
    manifest.stringify(manifestJson);

    base::TarWriter tar(out);
    base::TarWriter::Entry e;
    e.name = configId + ".json";
    tar.addFile(e, configJson.str());
    e.name = layerId;
    e.mode = 0755;
    tar.addDirectory(e);
    e.name = layerId + "/layer.tar";
    e.mode = 0644;
    tar.addFile(e, layerTar);
    e.name = "manifest.json";
    tar.addFile(e, manifestJson.str());
    tar.finish();
}

} // namespace hoist::engine
