// The merge action's step: hoist merge with the action's inputs (sources, digests-dir, tags,
// annotations, insecure-registries), which hoist reads itself.
'use strict';
const lib = require('../action/lib');

lib.step(async () => {
  const bin = await lib.binary();
  return lib.run(bin, ['merge']);
});
