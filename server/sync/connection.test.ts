import { describe, expect, it } from 'vitest'
import type { WebSocket } from 'ws'
import { CloseCode } from '../../shared/protocol.ts'
import { Connection, KEEPALIVE_MESSAGE, KEEPALIVE_MS, OWN_ANSWER_STALL_FACTOR } from './connection.ts'

const MAX = 1000

/** A socket whose send queue the test sets; it records what was sent and how it was closed. */
function fakeSocket() {
  const ws = {
    OPEN: 1,
    readyState: 1,
    bufferedAmount: 0,
    sent: [] as number[],
    closedWith: null as number | null,
    send(m: Uint8Array) {
      ws.sent.push(m.length)
      ws.bufferedAmount += m.length
    },
    close(code: number) {
      ws.closedWith = code
      ws.readyState = 2
    },
    terminate() {},
    once() {},
  }
  return ws
}

function connection(stallMs = 5000) {
  const ws = fakeSocket()
  const conn = new Connection(ws as unknown as WebSocket, 'board01', MAX, { info() {}, warn() {} }, stallMs)
  return { ws, conn }
}

const bytes = (n: number) => new Uint8Array(n)

describe('Connection send queue (SRV-8)', () => {
  it('SRV-8 a client over the limit is closed with 4008', () => {
    const { ws, conn } = connection()
    conn.send(bytes(MAX + 1))
    conn.send(bytes(10))
    expect(ws.closedWith).toBe(CloseCode.tooSlow.code)
  })

  it('SRV-8 its own sync answer does not count against the limit while it is queued; what comes after does', () => {
    const { ws, conn } = connection()
    conn.sendOwn(bytes(20 * MAX)) // a whole board, far over the limit
    for (let i = 0; i < 9; i++) conn.send(bytes(100)) // presence and relays after it
    expect(ws.closedWith).toBeNull()
    conn.send(bytes(200)) // the queue after the answer passes the limit
    conn.send(bytes(1))
    expect(ws.closedWith).toBe(CloseCode.tooSlow.code)
  })

  it('SRV-8 once the answer is out, the limit is the limit again', () => {
    const { ws, conn } = connection()
    conn.sendOwn(bytes(20 * MAX))
    conn.send(bytes(100))
    ws.bufferedAmount = 100 // the answer has gone, the message after it is still queued
    conn.send(bytes(10))
    ws.bufferedAmount = MAX + 1
    conn.send(bytes(10))
    expect(ws.closedWith).toBe(CloseCode.tooSlow.code)
  })

  it('SRV-8 asking again and again without reading: the largest answer counts, not their sum', () => {
    const { ws, conn } = connection()
    conn.sendOwn(bytes(20 * MAX))
    conn.sendOwn(bytes(20 * MAX))
    conn.send(bytes(1))
    expect(ws.closedWith).toBe(CloseCode.tooSlow.code)
  })

  it('SRV-8 the stall clock waits while its own answer goes out, and runs again after', async () => {
    const { ws, conn } = connection(40)
    conn.sendOwn(bytes(5 * MAX)) // e.g. waiting for ws to deflate it behind other joiners' answers
    for (let i = 0; i < 4; i++) {
      await new Promise((r) => setTimeout(r, 30))
      conn.send(bytes(1))
    }
    expect(ws.closedWith).toBeNull()
    ws.bufferedAmount = 50 // the answer is out; 50 bytes stay queued and do not drain
    for (let i = 0; i < 4; i++) {
      conn.send(bytes(1))
      await new Promise((r) => setTimeout(r, 30))
    }
    conn.send(bytes(1))
    expect(ws.closedWith).toBe(CloseCode.tooSlow.code)
  })

  it('SRV-8 a client that never takes its own answer is closed once the stall clock has waited OWN_ANSWER_STALL_FACTOR x CLIENT_STALL_MS', async () => {
    const { ws, conn } = connection(20)
    conn.sendOwn(bytes(5 * MAX)) // never drains: the client does not read
    const started = performance.now()
    while (ws.closedWith === null && performance.now() - started < 2000) {
      conn.send(bytes(1))
      await new Promise((r) => setTimeout(r, 10))
    }
    expect(ws.closedWith).toBe(CloseCode.tooSlow.code)
    // not before the wait for the answer (6 x 20 ms) plus the stall itself (20 ms)
    expect(performance.now() - started).toBeGreaterThanOrEqual(20 * OWN_ANSWER_STALL_FACTOR + 20)
  })
})

describe('Connection keep-alive (SRV-9)', () => {
  it('SRV-9 a connection sent nothing for KEEPALIVE_MS gets one empty awareness message, a busy one none', () => {
    const before = performance.now() // the connection's clock starts after this
    const { ws, conn } = connection()
    conn.keepAlive(before + KEEPALIVE_MS - 1)
    expect(ws.sent).toEqual([])
    conn.keepAlive(performance.now() + KEEPALIVE_MS + 1)
    expect(ws.sent).toEqual([KEEPALIVE_MESSAGE.length])
    // just sent: nothing more until it has been quiet again
    conn.keepAlive(performance.now() + KEEPALIVE_MS / 2)
    expect(ws.sent).toHaveLength(1)
    conn.send(bytes(10))
    conn.keepAlive(performance.now() + 100)
    expect(ws.sent).toEqual([KEEPALIVE_MESSAGE.length, 10])
  })
})
