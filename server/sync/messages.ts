import * as encoding from 'lib0/encoding'
import * as awarenessProtocol from 'y-protocols/awareness'
import { MessageType } from '../../shared/protocol.ts'

/** Sub-types of a y-protocols sync message. */
export const SyncStep = { step1: 0, step2: 1, update: 2 } as const

/** Encodes a sync message of `step` carrying `payload` (a state vector or an update). */
export function encodeSync(step: number, payload: Uint8Array): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.sync)
  encoding.writeVarUint(e, step)
  encoding.writeVarUint8Array(e, payload)
  return encoding.toUint8Array(e)
}

/** Encodes an awareness message for `clients` (their current states, null when removed). */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, MessageType.awareness)
  encoding.writeVarUint8Array(e, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(e)
}
