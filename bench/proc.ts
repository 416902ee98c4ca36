/**
 * Reading a process' CPU time and memory from /proc (Linux), and the machine's load.
 * CPU% of one core over a window = Δ(utime + stime) / Δwall × 100.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { cpus, totalmem } from 'node:os'

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ; 100 on Linux). */
const TICKS_PER_SECOND = 100

/** utime + stime of `pid` in seconds, or NaN when the process is gone. */
export function cpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    // Fields after the command name (which may contain spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields[0] is field 3 (state); utime is field 14, stime field 15.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND
  } catch {
    return Number.NaN
  }
}

/**
 * Seconds the main thread of `pid` (for Node: the event loop) has spent runnable but
 * waiting for a CPU (/proc/<pid>/schedstat, field 2). NaN when unavailable.
 */
export function runqueueWaitSeconds(pid: number): number {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'latin1').split(' ')[1]) / 1e9
  } catch {
    return Number.NaN
  }
}

/** Current and peak resident set size of `pid`, bytes (NaN when gone). */
export function memory(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'latin1')
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN)
    return { rss: kb('VmRSS') * 1024, peak: kb('VmHWM') * 1024 }
  } catch {
    return { rss: Number.NaN, peak: Number.NaN }
  }
}

/** Machine-wide busy, interrupt (irq + softirq: loopback networking) and total jiffies, all cores. */
export function machineTicks(): { busy: number; irq: number; total: number } {
  const line = readFileSync('/proc/stat', 'latin1').split('\n')[0]
  // user nice system idle iowait irq softirq steal guest guest_nice (guest time is inside user)
  const v = line.trim().split(/\s+/).slice(1, 9).map(Number)
  const idle = v[3] + (v[4] ?? 0)
  const total = v.reduce((a, b) => a + b, 0)
  return { busy: total - idle, irq: (v[5] ?? 0) + (v[6] ?? 0), total }
}

/** A CPU meter over a window for a set of processes and the whole machine. */
export class CpuWindow {
  private readonly t0 = performance.now()
  private readonly cpu0: number[]
  private readonly wait0: number[]
  private readonly m0 = machineTicks()

  constructor(private readonly pids: number[]) {
    this.cpu0 = pids.map(cpuSeconds)
    this.wait0 = pids.map(runqueueWaitSeconds)
  }

  /**
   * Per pid: % of one core used since the window opened, and % of the window its main
   * thread waited for a CPU; machine: % of all cores busy.
   */
  read(): { perPid: number[]; waitPct: number[]; machinePct: number; irqPct: number; seconds: number } {
    const seconds = (performance.now() - this.t0) / 1000
    const perPid = this.pids.map((p, i) => ((cpuSeconds(p) - this.cpu0[i]) / seconds) * 100)
    const waitPct = this.pids.map((p, i) => ((runqueueWaitSeconds(p) - this.wait0[i]) / seconds) * 100)
    const m1 = machineTicks()
    const span = Math.max(1, m1.total - this.m0.total)
    const machinePct = ((m1.busy - this.m0.busy) / span) * 100
    const irqPct = ((m1.irq - this.m0.irq) / span) * 100
    return { perPid, waitPct, machinePct, irqPct, seconds }
  }
}

/** "AMD EPYC × 2 (nproc 2), 24 GiB RAM, Node v20.20.2, linux" */
export function machineDescription(): string {
  const list = cpus()
  return `${list[0]?.model.trim() ?? 'unknown CPU'} × ${list.length} (nproc ${list.length}), ${Math.round(totalmem() / 2 ** 30)} GiB RAM, Node ${process.version}, ${process.platform}`
}

/**
 * Waits (up to `maxMs`) until the rest of the machine is quiet: less than `maxCores` of
 * CPU busy over a 1 s window. Returns the last measured busy cores.
 */
export async function waitForQuietMachine(maxCores: number, maxMs: number): Promise<number> {
  const end = Date.now() + maxMs
  for (;;) {
    const m0 = machineTicks()
    await new Promise((r) => setTimeout(r, 1000))
    const m1 = machineTicks()
    const busyCores = ((m1.busy - m0.busy) / Math.max(1, m1.total - m0.total)) * cpus().length
    if (busyCores < maxCores || Date.now() >= end) return busyCores
  }
}

/** Pids of the machine's processes whose command name (/proc/<pid>/comm) is one of `names`. */
export function pidsNamed(names: string[]): number[] {
  const out: number[] = []
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue
    try {
      if (names.includes(readFileSync(`/proc/${d}/comm`, 'latin1').trim())) out.push(Number(d))
    } catch {
      // gone meanwhile
    }
  }
  return out
}
