/**
 * The node side of the real kustomize build: `kubectl kustomize` in a temporary folder that holds a copy of the
 * files a build reads. Nothing is written inside the repository; each build is bounded in time and output.
 */
import { execFile } from 'node:child_process'
import * as fs from 'node:fs'
import * as os from 'node:os'
import * as path from 'node:path'
import type { BuildOutcome, BuildRequest, Builder } from './check/build.ts'

/** Where to find kubectl and how long a build may take. */
export interface KubectlOptions {
  /** PATH to search (default: the process's). */
  pathEnv?: string
  /** Per-build time limit in milliseconds (default 60 s). */
  timeoutMs?: number
}

/** Finds an executable on a PATH string. */
export function which(name: string, pathEnv: string): string | undefined {
  for (const dir of pathEnv.split(path.delimiter)) {
    if (!dir) continue
    const p = path.join(dir, name)
    try {
      fs.accessSync(p, fs.constants.X_OK)
      if (fs.statSync(p).isFile()) return p
    } catch {
      continue
    }
  }
  return undefined
}

/** The message of a kubectl failure without its log prefix (time and process id change on every run). */
export function kubectlMessage(stderr: string): string {
  const lines = stderr.trim().split('\n').map((l) => {
    const m = /err="((?:[^"\\]|\\.)*)"/.exec(l)
    if (m) return m[1].replace(/\\(.)/g, '$1')
    return l.replace(/^[EWIF]\d{4} [\d:.]+\s+\d+ [^\]]+\] /, '').replace(/^Error: /, '')
  })
  return lines.filter(Boolean).join('; ')
}

/** A {@link Builder} running `kubectl kustomize --load-restrictor LoadRestrictionsNone`, as Flux builds. */
export function kubectlBuilder(options: KubectlOptions = {}): Builder {
  const pathEnv = options.pathEnv ?? process.env.PATH ?? ''
  const kubectl = which('kubectl', pathEnv)
  const timeout = options.timeoutMs ?? 60_000
  return {
    async unavailable() {
      return kubectl ? undefined : 'kubectl is not on PATH'
    },
    async build(req: BuildRequest): Promise<BuildOutcome> {
      if (!kubectl) return { ok: false, error: 'kubectl is not on PATH' }
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'b2c-build-'))
      try {
        for (const [p, text] of Object.entries(req.files)) {
          const abs = path.resolve(tmp, p)
          if (!abs.startsWith(tmp + path.sep)) continue
          fs.mkdirSync(path.dirname(abs), { recursive: true })
          fs.writeFileSync(abs, text)
        }
        return await new Promise<BuildOutcome>((resolve) => {
          execFile(kubectl, ['kustomize', '--load-restrictor', 'LoadRestrictionsNone', path.join(tmp, req.dir)], { timeout, maxBuffer: 64 * 1024 * 1024, env: { PATH: pathEnv, HOME: tmp } }, (err, stdout, stderr) => {
            if (!err) return resolve({ ok: true, output: stdout })
            const killed = (err as { killed?: boolean }).killed
            const msg = killed ? `timed out after ${Math.round(timeout / 1000)} s` : kubectlMessage(stderr || err.message).split(tmp + path.sep).join('')
            resolve({ ok: false, error: msg })
          })
        })
      } finally {
        fs.rmSync(tmp, { recursive: true, force: true })
      }
    },
  }
}
