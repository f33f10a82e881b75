// The shared part of the action's steps: find the hoist binary and run it with the step's
// environment (the runner's INPUT_*, GITHUB_* and ACTIONS_* variables, which hoist reads).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

// The binary: $HOIST_BINARY, else one shipped beside the action, else the release asset of the
// action's own repository and ref for this runner's architecture.
async function binary() {
  if (process.env.HOIST_BINARY) return process.env.HOIST_BINARY;
  const arch = { x64: 'amd64', arm64: 'arm64' }[os.arch()];
  if (!arch) throw new Error(`no hoist binary for the runner architecture ${os.arch()}`);
  const bundled = path.join(__dirname, '..', 'dist', `hoist-linux-${arch}`);
  if (fs.existsSync(bundled)) return bundled;
  const repo = process.env.GITHUB_ACTION_REPOSITORY;
  const ref = process.env.GITHUB_ACTION_REF;
  if (!repo || !ref) throw new Error('set HOIST_BINARY, or use the action at a release tag');
  const dest = path.join(process.env.RUNNER_TEMP || os.tmpdir(), `hoist-${ref.replace(/[^\w.-]/g, '_')}-${arch}`);
  if (!fs.existsSync(dest)) {
    const url = `${process.env.GITHUB_SERVER_URL || 'https://github.com'}/${repo}/releases/download/${ref}/hoist-linux-${arch}`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`cannot download ${url}: HTTP ${res.status}`);
    fs.writeFileSync(dest, Buffer.from(await res.arrayBuffer()), { mode: 0o755 });
  }
  return dest;
}

function input(name) {
  return (process.env[`INPUT_${name.toUpperCase()}`] || '').trim();
}

// Runs hoist with args; returns its exit code.
function run(bin, args) {
  const r = spawnSync(bin, args, { stdio: 'inherit', env: process.env });
  if (r.error) throw r.error;
  return r.status === null ? 128 + (os.constants.signals[r.signal] || 0) : r.status;
}

// The builder name both steps use: the name or builder input, else hoist's per-job default.
function builderArgs() {
  const name = input('name') || input('builder') || process.env.STATE_builder || '';
  return name ? ['--builder', name] : [];
}

function fail(err) {
  process.stdout.write(`::error::hoist: ${String(err && err.message ? err.message : err)}\n`);
  process.exitCode = 1;
}

module.exports = { binary, input, run, builderArgs, fail };
