// The QEMU action's step, setup-qemu-action's job: hoist qemu with the action's inputs
// (image, platforms, reset, cache-image), which hoist reads itself; it sets the platforms
// output.
'use strict';
const lib = require('../action/lib');

lib.step(async () => {
  const bin = await lib.binary();
  return lib.run(bin, ['qemu']);
});
