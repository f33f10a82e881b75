// The all-in-one action's main step: everything checked first (hoist plan makes nothing), then
// hoist setup (setup-buildx-action's and setup-qemu-action's job) and hoist build
// (build-push-action's), both reading the action's inputs.
'use strict';
const lib = require('./lib');

lib.step(async () => {
  const bin = await lib.binary();
  lib.saveState('binary', bin);
  lib.setupDefaults();
  const builder = lib.builderArgs();
  let code = lib.run(bin, ['plan', ...builder], 'ignore');
  if (code !== 0) return code;
  code = lib.run(bin, ['setup', ...builder]);
  if (code !== 0) return code;
  return lib.run(bin, ['build', ...builder]);
});
