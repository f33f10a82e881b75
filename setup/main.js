// The setup action's main step, setup-buildx-action's job: hoist setup with the action's
// inputs (with append, a builder of nodes: hoist setup --node). With use (the default), later
// docker buildx steps and the build action use the builder.
'use strict';
const lib = require('../action/lib');

lib.step(async () => {
  const bin = await lib.binary();
  lib.saveState('binary', bin);
  lib.setupDefaults();
  return lib.run(bin, ['setup', ...lib.builderArgs(), ...lib.appendNodes(true)]);
});
