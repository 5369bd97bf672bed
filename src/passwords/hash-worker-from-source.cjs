// Worker entry when the server runs from its TypeScript source (`tsx src/main.ts`, Jest): a worker
// thread loads files with plain Node, so tsx is registered here first. The compiled build
// (`node dist/…`) loads hash-worker.js directly and never uses this file.
require('tsx/cjs/api').register();
module.exports = require('./hash-worker.ts');
