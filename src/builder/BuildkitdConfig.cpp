// This file implements the buildkitd config preparation. It reads TOML line by line — table
// headers, and the few keys it must rewrite (ca, key, cert in registry tables) or read
// (insecure-entitlements) — and keeps every other line as written; buildkitd parses the rest.

#include "builder/BuildkitdConfig.h"

#include "base/Files.h"
#include "base/ShellWords.h"
#include "base/Strings.h"

#include <Poco/Exception.h>
#include <Poco/File.h>
#include <Poco/Path.h>
#include <Poco/String.h>

#include <algorithm>
#include <cctype>

namespace hoist::builder
{

namespace
{

const char* CONTAINER_DIR = "/etc/buildkit/";

// Returns the quoted strings of a TOML value ("a" or ["a", 'b']); ok false when a quote or
// bracket is unbalanced.
std::vector<std::string> tomlStrings(const std::string& value, bool& ok)
{
    std::vector<std::string> out;
    ok = true;
    int depth = 0;
    for (std::size_t i = 0; i < value.size(); ++i)
    {
        char c = value[i];
        if (c == '#')
            break;
        if (c == '[')
            ++depth;
        else if (c == ']')
            --depth;
        else if (c == '"' || c == '\'')
        {
            std::string s;
            std::size_t j = i + 1;
            for (; j < value.size() && value[j] != c; ++j)
            {
                if (c == '"' && value[j] == '\\' && j + 1 < value.size())
                    ++j;
                s += value[j];
            }
            if (j >= value.size())
            {
                ok = false;
                return out;
            }
            out.push_back(s);
            i = j;
        }
    }
    ok = depth == 0;
    return out;
}

// Splits a table header like [registry."docker.io".keypair] into its keys.
std::vector<std::string> headerKeys(const std::string& header)
{
    std::vector<std::string> keys;
    std::string key;
    for (std::size_t i = 0; i < header.size(); ++i)
    {
        char c = header[i];
        if (c == '"' || c == '\'')
        {
            auto end = header.find(c, i + 1);
            key += header.substr(i + 1, end - i - 1);
            i = end == std::string::npos ? header.size() : end;
        }
        else if (c == '.')
        {
            keys.push_back(Poco::trim(key));
            key.clear();
        }
        else if (c != '[' && c != ']')
            key += c;
    }
    if (!Poco::trim(key).empty())
        keys.push_back(Poco::trim(key));
    return keys;
}

std::string tomlString(const std::string& s)
{
    std::string out = "\"";
    for (char c : s)
        out += c == '"' || c == '\\' ? std::string("\\") + c : std::string(1, c);
    return out + "\"";
}

} // namespace

std::string BuildkitdConfig::certDir(const std::string& host)
{
    std::string out;
    bool inRun = false;
    for (char c : host)
    {
        bool keep = std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-';
        if (keep)
            out += c;
        else if (!inRun)
            out += '_';
        inRun = !keep;
    }
    return out;
}

BuildkitdConfig::ReadFile BuildkitdConfig::localFiles()
{
    return [](const std::string& path) { return base::readFile(path); };
}

std::vector<std::string> BuildkitdConfig::copyFiles(const std::string& key,
                                                    const std::vector<std::string>& paths,
                                                    const std::string& registry,
                                                    const std::string& where, const ReadFile& read,
                                                    base::Problems& problems)
{
    // Read each file on this machine and point the config at its copy in the builder.
    std::vector<std::string> rewritten;
    for (const auto& path : paths)
    {
        std::string bytes;
        try
        {
            bytes = read(path);
        }
        catch (const Poco::Exception& e)
        {
            problems.push_back({"",
                                "buildkitd config " + where + ": cannot read the " + key +
                                    " file " + base::quoted(path) + ": " + e.message(),
                                ""});
            continue;
        }
        std::string rel = "certs/" + certDir(registry) + "/" + Poco::Path(path).getFileName();
        _files[rel] = bytes;
        if (key == "ca")
            _registryCas[registry] += bytes + "\n";
        rewritten.push_back(tomlString(CONTAINER_DIR + rel));
    }
    return rewritten;
}

BuildkitdConfig BuildkitdConfig::fromToml(const std::string& toml, const std::string& source,
                                          const ReadFile& read, base::Problems& problems)
{
    BuildkitdConfig cfg;
    std::vector<std::string> table;
    std::string out;
    int lineNo = 0;
    for (const auto& raw : base::split(toml, '\n'))
    {
        ++lineNo;
        std::string line = Poco::trim(raw);
        std::string where = source + ":" + std::to_string(lineNo);
        if (line.empty() || line[0] == '#')
        {
            out += raw + "\n";
            continue;
        }
        if (line[0] == '[')
        {
            if (line.find(']') == std::string::npos)
                problems.push_back(
                    base::Problem{"", "buildkitd config " + where + ": unclosed table header", ""});
            table = headerKeys(line);
            out += raw + "\n";
            continue;
        }
        auto eq = line.find('=');
        if (eq == std::string::npos)
        {
            problems.push_back(base::Problem{
                "",
                "buildkitd config " + where + ": expected KEY = VALUE, got " + base::quoted(line),
                ""});
            continue;
        }
        std::string key = Poco::trim(line.substr(0, eq));
        std::string value = Poco::trim(line.substr(eq + 1));
        bool ok = true;
        std::vector<std::string> strings = tomlStrings(value, ok);
        if (!ok)
        {
            problems.push_back(base::Problem{"",
                                             "buildkitd config " + where +
                                                 ": unbalanced quotes or brackets in " +
                                                 base::quoted(key),
                                             ""});
            continue;
        }
        if (key == "insecure-entitlements" && table.empty())
            cfg._grantsNetworkHost =
                std::find(strings.begin(), strings.end(), "network.host") != strings.end();
        const bool registry = table.size() >= 2 && table[0] == "registry";
        if (registry && table.size() == 2 && key == "http" && value == "true")
            cfg._plainHttp.insert(table[1]);
        if (registry && table.size() == 2 && key == "insecure" && value == "true")
            cfg._insecure.insert(table[1]);
        const bool keypair = registry && table.size() == 3 && table[2] == "keypair";
        if ((registry && table.size() == 2 && key == "ca") ||
            (keypair && (key == "key" || key == "cert")))
        {
            const std::vector<std::string> rewritten =
                cfg.copyFiles(key, strings, table[1], where, read, problems);
            std::string indent = raw.substr(0, raw.find_first_not_of(" \t"));
            out += indent + key + " = " +
                   (key == "ca" ? "[" + base::join(rewritten, ", ") + "]"
                                : (rewritten.empty() ? "\"\"" : rewritten[0])) +
                   "\n";
            continue;
        }
        out += raw + "\n";
    }
    cfg._files["buildkitd.toml"] = out;
    return cfg;
}

const std::map<std::string, std::string>& BuildkitdConfig::files() const
{
    return _files;
}

const std::set<std::string>& BuildkitdConfig::plainHttpRegistries() const
{
    return _plainHttp;
}

const std::set<std::string>& BuildkitdConfig::insecureRegistries() const
{
    return _insecure;
}

const std::map<std::string, std::string>& BuildkitdConfig::registryCas() const
{
    return _registryCas;
}

bool BuildkitdConfig::grantsNetworkHost() const
{
    return _grantsNetworkHost;
}

std::vector<std::string> BuildkitdConfig::flags(const std::string& text, const std::string& option,
                                                const std::string& network,
                                                bool configGrantsNetworkHost,
                                                base::Problems& problems)
{
    bool ok = true;
    std::vector<std::string> args = base::splitShellWords(text, ok);
    if (!ok)
    {
        problems.push_back(base::Problem{
            "", option + " " + base::quoted(text) + " does not split into words: check its quotes",
            ""});
        return args;
    }
    // buildx scans with a flag set that knows only --allow-insecure-entitlement and stops at
    // the first flag it does not know.
    std::vector<std::string> entitlements;
    for (std::size_t i = 0; i < args.size(); ++i)
    {
        const std::string& a = args[i];
        if (a == "--allow-insecure-entitlement" && i + 1 < args.size())
            entitlements.push_back(args[++i]);
        else if (base::startsWith(a, "--allow-insecure-entitlement="))
            entitlements.push_back(a.substr(29));
        else if (base::startsWith(a, "-"))
            break;
    }
    const bool hasNetworkHost =
        std::find(entitlements.begin(), entitlements.end(), "network.host") != entitlements.end();
    if (network == "host" && !hasNetworkHost)
        args.push_back("--allow-insecure-entitlement=network.host");
    else if (network != "host" && entitlements.empty() && !configGrantsNetworkHost)
        args.push_back("--allow-insecure-entitlement=network.host");
    return args;
}

std::vector<std::string> BuildkitdConfig::command(const std::vector<std::string>& flags) const
{
    std::vector<std::string> cmd;
    if (_files.count("buildkitd.toml"))
    {
        cmd.push_back("--config");
        cmd.push_back(std::string(CONTAINER_DIR) + "buildkitd.toml");
    }
    cmd.insert(cmd.end(), flags.begin(), flags.end());
    return cmd;
}

} // namespace hoist::builder
