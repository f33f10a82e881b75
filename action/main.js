// The all-in-one action's main step: everything checked first (hoist plan makes nothing), then
// hoist setup (setup-buildx-action's and setup-qemu-action's job) and hoist build
// (build-push-action's), both reading the action's inputs. With append, a builder of nodes:
// hoist setup --node checks everything before it makes anything.
'use strict';
const lib = require('./lib');

lib.step(async () => {
  const bin = await lib.binary();
  lib.saveState('binary', bin);
  lib.setupDefaults();
  const builder = lib.builderArgs();
  // Here platforms are the build's: the first node pins none.
  const nodes = lib.appendNodes(false);
  let code = nodes.length ? 0 : lib.run(bin, ['plan', ...builder], 'ignore');
  if (code !== 0) return code;
  code = lib.run(bin, ['setup', ...builder, ...nodes]);
  if (code !== 0) return code;
  return lib.run(bin, ['build', ...builder]);
});
