// ELK's own worker script: loaded into a worker scope, it installs its message handler on `self`
// and answers the requests of elk-api's ELK (see layout-client.ts). elk.bundled.js cannot be used
// here: inside a worker it takes over `self.onmessage` the same way but then fails to construct
// its in-thread fallback worker.
import 'elkjs/lib/elk-worker.min.js';
