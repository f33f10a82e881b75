#pragma once

#include "plan/FileView.h"

namespace hoist::plan
{

/// The file view of this machine's file system.
class LocalFiles : public FileView
{
public:
    Kind kind(const std::string& path) const override;
    std::string read(const std::string& path) const override;
    std::string absolute(const std::string& path) const override;
};

} // namespace hoist::plan
