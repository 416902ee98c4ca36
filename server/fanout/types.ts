/**
 * Fan-out between server processes that serve the same boards (a plug-in: absent in the
 * single-process default). Rule FAN-1: a process publishes only updates it has persisted,
 * and drops its own echoes; FAN-2: awareness changes of its own clients are published too;
 * AUTH-5: a rotation of a board's links is published (`links`, the new link state as JSON) so
 * that every process closes its connections holding the old tokens.
 */
export type FanoutKind = 'update' | 'awareness' | 'links'

export interface FanoutMessage {
  kind: FanoutKind
  payload: Uint8Array
}

export interface Fanout {
  readonly name: string
  /** Starts receiving `boardId`'s messages from other processes (resolves once subscribed). */
  subscribe(boardId: string, onMessage: (m: FanoutMessage) => void): Promise<void>
  unsubscribe(boardId: string): Promise<void>
  publish(boardId: string, kind: FanoutKind, payload: Uint8Array): void
  /** Called after the connection to the bus came back: messages may have been missed. */
  onReconnect(fn: () => void): void
  close(): Promise<void>
}
