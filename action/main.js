// The action's main step: hoist setup, then hoist build, both reading the action's inputs.
'use strict';
const { binary, run, builderArgs, fail } = require('./hoist');

(async () => {
  const bin = await binary();
  const setup = run(bin, ['setup', ...builderArgs()]);
  if (setup !== 0) {
    process.exitCode = setup;
    return;
  }
  process.exitCode = run(bin, ['build', ...builderArgs()]);
})().catch(fail);
