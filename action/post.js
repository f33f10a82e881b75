// The all-in-one action's post step (the runner runs it after a failed main too): hoist
// teardown of the builder main set up.
'use strict';
require('./lib').step(require('./lib').teardown);
