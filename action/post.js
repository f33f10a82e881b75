// The action's post step (it runs after a failed main too): hoist teardown of the builder main
// made, keeping its state volume when keep-state is true.
'use strict';
const { binary, input, run, builderArgs, fail } = require('./hoist');

(async () => {
  if (input('cleanup') === 'false') return;
  const bin = await binary();
  // A failed teardown is a warning here, as setup-buildx-action's post makes it.
  const code = run(bin, ['teardown', ...builderArgs()]);
  if (code !== 0) process.stdout.write(`::warning::hoist teardown exited ${code}\n`);
})().catch(fail);
