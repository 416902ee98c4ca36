// Entry of the compaction worker thread: registers tsx (worker threads do not inherit the
// parent's --import hooks for their entry module on Node 20), then loads the TypeScript.
import { register } from 'tsx/esm/api'

register()
await import('./compactWorkerMain.ts')
