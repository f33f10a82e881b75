#pragma once

#include "base/Problem.h"
#include "builder/RemoteSpec.h"
#include "cli/Options.h"
#include "plan/FileView.h"

#include <string>

namespace hoist::plan
{

/// A remote builder as planned: where its daemon is and the certificates' contents.
struct RemotePlan
{
    builder::RemoteSpec spec; /// the daemon and how to reach it
    builder::RemoteTls tls;   /// the certificates' contents
};

/// Returns the remote builder of `--driver remote`: the endpoint checked (tcp://HOST:PORT or
/// unix:///PATH), the driver options parsed as buildx's remote driver parses them (cacert,
/// cert, key, servername, default-load; a CA once TLS is asked for, cert and key together)
/// plus hoist's image, the paths made absolute and the certificates read. The
/// docker-container driver's options, and those that act on a state volume, on emulators or
/// on a boot are problems (setup's --platform too). Pure given the file view; appends every
/// problem, naming the option as the user gave it.
RemotePlan planRemote(const cli::Options& options, const std::string& session,
                      const FileView& files, base::Problems& problems);

/// Appends a problem, naming option, for a remote builder recorded in buildx's store that
/// hoist cannot use as it is: an endpoint it does not reach (ssh://, docker-container://,
/// kube-pod://), or TLS files given without the CA, or a cert without its key.
void checkRemote(const builder::RemoteSpec& spec, const std::string& option,
                 base::Problems& problems);

/// Returns the certificates spec names, read through files; appends a problem naming option
/// for each that cannot be read.
builder::RemoteTls readRemoteTls(const builder::RemoteSpec& spec, const std::string& option,
                                 const FileView& files, base::Problems& problems);

} // namespace hoist::plan
