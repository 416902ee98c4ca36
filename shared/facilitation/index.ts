/** The facilitation contract and its pure helpers (issue 11): session keys, actions, voting. */
export * from './session.ts'
export * from './actions.ts'
export * from './votes.ts'
export * from './summary.ts'
