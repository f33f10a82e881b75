// What every hoist action step shares: find the hoist binary (the release of this action's
// VERSION, downloaded and checked against its SHA256SUMS), run it with the step's environment
// (the runner's INPUT_*, GITHUB_* and ACTIONS_* variables, which hoist reads itself), and speak
// the runner's protocol for the little the JavaScript does on its own.
'use strict';
const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const ARCHES = { x64: 'amd64', arm64: 'arm64' };
// setup-buildx-action's buildkitd flags when its buildkitd-flags input is empty.
const SETUP_BUILDX_FLAGS =
  '--allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host';

// The input as the runner passes it: INPUT_<NAME>, upper-cased, hyphens kept.
function input(name) {
  return (process.env[`INPUT_${name.toUpperCase()}`] || '').trim();
}

function boolInput(name, fallback) {
  const v = input(name).toLowerCase();
  if (v === '') return fallback;
  if (['true', 'false'].includes(v)) return v === 'true';
  throw new Error(`the action input ${name} must be true or false, not "${input(name)}"`);
}

// Escapes a workflow command's data, so a message can never end the command early.
function escapeData(s) {
  return String(s).replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function command(name, message) {
  process.stdout.write(`::${name}::${escapeData(message)}\n`);
}

// Appends NAME<<DELIMITER records, as the runner reads GITHUB_STATE and GITHUB_ENV.
function appendRecord(file, name, value) {
  if (!file) return;
  let delimiter;
  do delimiter = `ghadelimiter_${crypto.randomBytes(12).toString('hex')}`;
  while (value.includes(delimiter));
  fs.appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

function saveState(name, value) {
  appendRecord(process.env.GITHUB_STATE, name, value);
}

function sha256(data) {
  return crypto.createHash('sha256').update(data).digest('hex');
}

// The version of hoist this action runs: the VERSION file of the action's own checkout, so
// owner/hoist@v1, @v1.2.3 and @<sha> each run the release they were made for.
function version() {
  return fs.readFileSync(path.join(ROOT, 'VERSION'), 'utf8').trim();
}

// Where releases live: $HOIST_RELEASE_URL (a mirror, e.g. on GitHub Enterprise Server), else
// the releases of the repository the runner fetched this action from.
function releaseBase() {
  const mirror = (process.env.HOIST_RELEASE_URL || '').replace(/\/+$/, '');
  if (mirror) return mirror;
  const repo = process.env.GITHUB_ACTION_REPOSITORY;
  if (!repo) {
    throw new Error('cannot tell where to download hoist from: this action was not fetched from ' +
      'a repository (a local uses: ./ path); set HOIST_RELEASE_URL to a release mirror or ' +
      'HOIST_BINARY to a hoist binary');
  }
  return `${process.env.GITHUB_SERVER_URL || 'https://github.com'}/${repo}/releases/download`;
}

async function download(url) {
  let res;
  try {
    res = await fetch(url);
  } catch (err) {
    throw new Error(`cannot download ${url}: ${err.cause ? err.cause.message : err.message}`);
  }
  if (!res.ok) throw new Error(`cannot download ${url}: HTTP ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

// The SHA-256 SHA256SUMS gives for asset, or throws.
function expectedSum(sums, asset, where) {
  for (const line of sums.split('\n')) {
    const m = /^([0-9a-f]{64}) [ *]?(\S+)$/.exec(line.trim());
    if (m && m[2] === asset) return m[1];
  }
  throw new Error(`${where}/SHA256SUMS has no line for ${asset}`);
}

// The hoist binary: $HOIST_BINARY, else the release asset for this runner's architecture,
// verified against the release's SHA256SUMS (a cached copy in the runner's tool cache is
// verified the same way before it is used).
async function binary() {
  if (process.env.HOIST_BINARY) return process.env.HOIST_BINARY;
  const arch = ARCHES[os.arch()];
  if (!arch || os.platform() !== 'linux') {
    throw new Error(`hoist has no release binary for ${os.platform()}/${os.arch()} ` +
      '(linux/amd64 and linux/arm64 only)');
  }
  const v = version();
  const asset = `hoist-linux-${arch}`;
  const where = `${releaseBase()}/v${v}`;
  const want = expectedSum((await download(`${where}/SHA256SUMS`)).toString('utf8'), asset, where);
  const dir = path.join(process.env.RUNNER_TOOL_CACHE || process.env.RUNNER_TEMP || os.tmpdir(),
    'hoist', v, arch);
  const dest = path.join(dir, 'hoist');
  if (fs.existsSync(dest) && sha256(fs.readFileSync(dest)) === want) return dest;
  const data = await download(`${where}/${asset}`);
  const got = sha256(data);
  if (got !== want) {
    throw new Error(`${where}/${asset} has SHA-256 ${got} but SHA256SUMS says ${want}: ` +
      'refusing to run it');
  }
  fs.mkdirSync(dir, { recursive: true });
  const tmp = `${dest}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, data, { mode: 0o755 });
  fs.renameSync(tmp, dest);
  process.stdout.write(`hoist ${v} (${asset}, sha256 ${want})\n`);
  return dest;
}

// Runs hoist with args; returns its exit code. stdout: 'inherit' or 'ignore'.
function run(bin, args, stdout = 'inherit') {
  const r = spawnSync(bin, args, { stdio: ['ignore', stdout, 'inherit'], env: process.env });
  if (r.error) throw new Error(`cannot run ${bin}: ${r.error.message}`);
  return r.status === null ? 128 + (os.constants.signals[r.signal] || 0) : r.status;
}

// The builder the step names (setup-buildx-action's name, build-push-action's builder); none
// lets hoist choose: HOIST_BUILDER from a setup step with use, else one per CI job.
function builderArgs() {
  const name = input('name') || input('builder');
  return name ? ['--builder', name] : [];
}

// Returns whether the builder hoist would pick with no --builder (the job's) runs, as hoist
// inspect tells.
function builderRuns(bin) {
  const r = spawnSync(bin, ['inspect'], { stdio: ['ignore', 'pipe', 'ignore'], env: process.env,
    encoding: 'utf8' });
  // A remote builder is there even when its daemon does not answer: hoist build says why.
  return r.status === 0 && /^(container: .*\(running\)|driver: +remote)/m.test(r.stdout || '');
}

// setup-buildx-action's BUILDER_NODE_0_AUTH_TLS_CACERT, _CERT and _KEY for a remote tcp://
// endpoint: the certificates' contents written to files of the step's own (a directory 0700
// under the runner's temp, files 0600, named as the action names them), given as the remote
// driver's cacert, cert and key, and removed by the post step.
function remoteCredentials() {
  const endpoint = input('endpoint');
  if (input('driver') !== 'remote' || !endpoint.startsWith('tcp://')) return;
  const pem = (k) => process.env[`BUILDER_NODE_0_AUTH_TLS_${k}`] || '';
  if (!pem('CACERT') && !pem('CERT') && !pem('KEY')) return;
  const url = new URL(endpoint);
  const host = url.hostname + (url.port ? `-${url.port}` : '');
  const dir = fs.mkdtempSync(path.join(process.env.RUNNER_TEMP || os.tmpdir(), 'hoist-credentials-'));
  fs.chmodSync(dir, 0o700);
  saveState('credentials', dir);
  const opts = [];
  for (const [k, opt] of [['CACERT', 'cacert'], ['CERT', 'cert'], ['KEY', 'key']]) {
    if (!pem(k)) continue;
    const file = path.join(dir, `${opt}_${host}.pem`);
    fs.writeFileSync(file, pem(k), { mode: 0o600 });
    opts.push(`${opt}=${file}`);
  }
  const given = input('driver-opts');
  process.env['INPUT_DRIVER-OPTS'] = (given ? given + '\n' : '') + opts.join('\n');
}

// setup-buildx-action's append input: a YAML list of nodes (name, endpoint, platforms,
// driver-opts), read without a YAML library: block or flow lists of scalars, plain or quoted.
// Returns [{name, endpoint, platforms, 'driver-opts': [...], ...}]; throws naming the line
// that is not of that form.
function parseAppend(text) {
  const nodes = [];
  let node = null;
  let listKey = null;
  const scalar = (v, n) => {
    v = v.trim();
    if ((v.startsWith('"') && v.endsWith('"')) || (v.startsWith("'") && v.endsWith("'"))) {
      return v.length >= 2 ? v.slice(1, -1) : v;
    }
    if (v.startsWith('"') || v.startsWith("'")) throw new Error(`append: line ${n}: unclosed quote`);
    return v;
  };
  const flow = (v, n) => {
    v = v.trim();
    if (!v.endsWith(']')) throw new Error(`append: line ${n}: a [list] must end on its line`);
    const items = [];
    let cur = '';
    let quote = '';
    for (const ch of v.slice(1, -1)) {
      if (quote) quote = ch === quote ? '' : quote;
      else if (ch === '"' || ch === "'") quote = ch;
      else if (ch === ',') { items.push(cur); cur = ''; continue; }
      cur += ch;
    }
    if (cur.trim()) items.push(cur);
    return items.map((x) => scalar(x, n));
  };
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const n = i + 1;
    // A comment ends a line unless quotes are on it (a '#' may be in a quoted value).
    const line = (/["']/.test(raw) ? raw : raw.replace(/\s+#.*$/, '')).replace(/\s+$/, '');
    if (!line.trim() || line.trim().startsWith('#') || line.trim() === '---') return;
    const indent = line.match(/^ */)[0].length;
    let rest = line.slice(indent);
    if (rest.startsWith('- ') && listKey && node && indent > node.indent) {
      node.fields[listKey].push(scalar(rest.slice(2), n));
      return;
    }
    if (rest === '-' || rest.startsWith('- ')) {
      node = { indent, fields: {} };
      nodes.push(node);
      listKey = null;
      rest = rest.slice(1).trim();
      if (!rest) return;
    } else if (!node || indent <= node.indent) {
      throw new Error(`append: line ${n} is not part of a list item ("- name: …")`);
    }
    const m = rest.match(/^([A-Za-z0-9_-]+):(?:\s+(.*))?$/);
    if (!m) throw new Error(`append: line ${n}: "${rest}" is not KEY: VALUE`);
    const [, key, value] = m;
    if (value === undefined || value === '') {
      node.fields[key] = [];
      listKey = key;
    } else if (value.trim().startsWith('[')) {
      node.fields[key] = flow(value, n);
      listKey = null;
    } else {
      node.fields[key] = scalar(value, n);
      listKey = null;
    }
  });
  return nodes.map((x) => x.fields);
}

// A --node value's field, in double quotes when it holds a comma or a quote (buildx's CSV).
function csvField(field) {
  return /[,"]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}

// setup-buildx-action's append: the builder's own node (the endpoint and driver-opts inputs,
// and with ownPlatforms the platforms input: setup-buildx-action's node platforms) and the
// appended ones, as hoist's --node arguments. The inputs moved into the first node are taken
// out of the environment, so hoist reads each once. [] without append.
function appendNodes(ownPlatforms) {
  const text = process.env.INPUT_APPEND || '';
  delete process.env.INPUT_APPEND;
  if (!text.trim()) return [];
  const first = [];
  if (input('endpoint')) first.push(`endpoint=${input('endpoint')}`);
  if (ownPlatforms && input('platforms')) {
    first.push(`platform=${input('platforms').split(/[\n,]/).map((p) => p.trim()).filter(Boolean).join(',')}`);
    delete process.env.INPUT_PLATFORMS;
  }
  for (const opt of input('driver-opts').split('\n').map((o) => o.trim()).filter(Boolean)) {
    first.push(`driver-opt=${opt}`);
  }
  delete process.env.INPUT_ENDPOINT;
  delete process.env['INPUT_DRIVER-OPTS'];
  // The builder's own node on the engine hoist uses when the step names none.
  if (first.length === 0) first.push('endpoint=');
  const nodes = [first];
  parseAppend(text).forEach((n, i) => {
    const unknown = Object.keys(n).filter((k) => !['name', 'endpoint', 'platforms', 'driver-opts'].includes(k));
    if (unknown.length) {
      throw new Error(`the action input append: node ${i + 1}: ${unknown.join(', ')} not supported yet by hoist (name, endpoint, platforms, driver-opts are)`);
    }
    // setup-buildx-action gives these to a node as BuildKit client certificates (the remote
    // driver's); an appended docker-container node reaches its engine with the docker CLI's
    // TLS settings instead.
    const certs = ['CACERT', 'CERT', 'KEY'].map((k) => `BUILDER_NODE_${i + 1}_AUTH_TLS_${k}`)
      .filter((k) => process.env[k]);
    if (certs.length) {
      throw new Error(`${certs.join(', ')}: client certificates for appended node ${i + 1} are not supported yet by hoist; its docker engine's TLS comes from DOCKER_CERT_PATH or a docker context (the endpoint input may name one)`);
    }
    const fields = [];
    if (n.name) fields.push(`name=${n.name}`);
    if (n.endpoint) fields.push(`endpoint=${n.endpoint}`);
    const platforms = [].concat(n.platforms || []).join(',');
    if (platforms) fields.push(`platform=${platforms}`);
    for (const opt of [].concat(n['driver-opts'] || [])) fields.push(`driver-opt=${opt}`);
    nodes.push(fields);
  });
  return nodes.flatMap((fields) => ['--node', fields.map(csvField).join(',')]);
}

// setup-buildx-action's own defaults that hoist's command line does not have.
function setupDefaults() {
  remoteCredentials();
  // A remote daemon's flags are set where it runs.
  if (!input('buildkitd-flags') && input('driver') !== 'remote') {
    process.env['INPUT_BUILDKITD-FLAGS'] = SETUP_BUILDX_FLAGS;
  }
}

// The post step of an action that set a builder up: tear it down unless cleanup is false,
// keeping its state volume when keep-state is true. A failed teardown is a warning, as
// setup-buildx-action's post makes it.
async function teardown() {
  const builder = process.env.STATE_builder;
  const keep = builder && !boolInput('cleanup', true); // the kept builder still needs them
  const credentials = process.env.STATE_credentials;
  if (credentials && !keep) fs.rmSync(credentials, { recursive: true, force: true });
  if (!builder || keep) return 0;
  const bin = process.env.STATE_binary || await binary();
  const code = run(bin, ['teardown', '--builder', builder]);
  if (code !== 0) command('warning', `hoist teardown exited ${code}`);
  return 0;
}

// Runs a step's body: its returned exit code becomes the step's; an error fails the step with
// an annotation.
function step(body) {
  body().then((code) => { process.exitCode = code; }, (err) => {
    command('error', `hoist: ${err && err.message ? err.message : err}`);
    process.exitCode = 1;
  });
}

module.exports = { input, boolInput, binary, run, builderArgs, builderRuns, setupDefaults,
  appendNodes, parseAppend, saveState, teardown, step };
