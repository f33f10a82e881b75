// The build action's main step, build-push-action's job: hoist build with the action's inputs
// on the builder a setup step made (its builder input, else the one setup made current, else
// the job's).
'use strict';
const lib = require('../action/lib');

lib.step(async () => {
  const bin = await lib.binary();
  return lib.run(bin, ['build', ...lib.builderArgs()]);
});
