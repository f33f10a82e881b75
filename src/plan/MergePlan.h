#pragma once

#include "base/Problem.h"
#include "cli/Options.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace hoist::plan
{

/// What `hoist merge` is to do, checked.
struct MergePlan
{
    std::vector<std::string> sources;               /// the images to join, NAME@DIGEST or NAME:TAG
    std::map<std::string, std::string> annotations; /// the index's, KEY → VALUE
    /// manifest-descriptor: annotations by platform ("" every descriptor), KEY → VALUE
    std::map<std::string, std::map<std::string, std::string>> descriptorAnnotations;
    std::vector<std::string> platforms; /// --platform: only these images ("os/arch[/variant]")
    std::string metadataFile;           /// where the index's descriptor and names go ("" none)
    std::set<std::string> plainHttp;    /// registry hosts spoken to over http
};

/// Returns the merge of sources (the SOURCE arguments, then the references the digests
/// directory's files hold, as read): every source and tag a valid reference, a tag to push
/// to (none needed with --dry-run), annotations of the index and its descriptors (a manifest:
/// one refused, saying what to set instead), platforms normalised, plain-http registries as
/// hosts. Pure; appends every
/// problem, naming each option as the user gave it.
MergePlan planMerge(const cli::MergeOptions& options, const std::vector<std::string>& sources,
                    base::Problems& problems);

} // namespace hoist::plan
