// The build action's main step, build-push-action's job: hoist build with the action's inputs
// on the builder a setup step made (its builder input, else the one setup made current, else
// the job's). Alone in a job, as build-push-action is used without setup-buildx-action, the
// step sets the job's builder up itself: a hoist run (setup, QEMU for the platforms asked,
// build, teardown keeping the state volume for the next such step).
'use strict';
const lib = require('../action/lib');

lib.step(async () => {
  const bin = await lib.binary();
  const builder = lib.builderArgs();
  if (builder.length === 0 && !process.env.HOIST_BUILDER && !lib.builderRuns(bin)) {
    console.log("hoist: no setup step made this job's builder: this step sets it up, builds, " +
      'and tears it down keeping its state volume (hoist run)');
    return lib.run(bin, ['run']);
  }
  return lib.run(bin, ['build', ...builder]);
});
