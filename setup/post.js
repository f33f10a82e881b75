// The setup action's post step (the runner runs it after failed steps too): hoist teardown of
// the builder main set up, unless cleanup is false.
'use strict';
require('../action/lib').step(require('../action/lib').teardown);
