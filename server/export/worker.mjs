// Entry of the export worker thread (see server/http/exportJobs.ts): registers tsx (worker
// threads do not inherit the parent's --import hooks for their entry module on Node 20), then
// loads the TypeScript.
import { register } from 'tsx/esm/api'

register()
await import('./workerMain.ts')
