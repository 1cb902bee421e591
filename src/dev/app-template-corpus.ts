/**
 * `node dist/src/dev/app-template-corpus.js [<repo>]`: converts every raw legacy app of a repository to app-template
 * values (Ingresses to route values, with the cluster variables of the configuration and the app Kustomization's
 * own), checks the conversion against the rendering model, and prints which apps convert and why the others don't.
 */
import { discoverApp, listLegacyApps } from '../app.ts'
import { NodeVfs } from '../fs.ts'
import { loadConfig } from '../migrate.ts'
import { Workspace } from '../workspace.ts'
import { fmtPath } from '../apptemplate/index.ts'
import { gatewayTargets } from '../ingress/index.ts'
import { convertRawApp } from '../../transforms/lib/raw-manifests.ts'

const args = process.argv.slice(2)
const verbose = args.includes('--verbose')
const root = args.find((a) => !a.startsWith('--')) ?? '../shared/corpus/legacy'
const vfs = new NodeVfs(root)
const config = loadConfig(vfs)
let raw = 0
let converted = 0
for (const entry of listLegacyApps(new Workspace(vfs), config)) {
  const ws = new Workspace(vfs)
  const app = discoverApp(ws, entry.path, config)
  for (const lk of app.kustomizations) {
    if (!lk.dir) continue
    const routes = { gateways: gatewayTargets(config.gateways), variables: () => ({ ...config.variables, ...lk.substitute }) }
    const c = convertRawApp(ws, lk.dir, { release: app.name, chartVersion: config.appTemplate.version ?? '4.4.0', routes })
    if (!c.isRaw) continue
    raw++
    if (c.ok()) converted++
    const errors = c.result.findings.filter((f) => f.severity === 'error')
    process.stdout.write(`${c.ok() ? 'converts' : 'stays raw'}  ${app.name} (${lk.dir})\n`)
    for (const f of errors) process.stdout.write(`    error ${f.rule}: ${f.message}${f.at ? ` [${c.raw.resources[f.at.index]?.file.path}: ${fmtPath(f.at.path)}]` : ''}\n`)
    for (const p of c.raw.problems) process.stdout.write(`    error kustomize: ${p.message} [${p.file.path}: ${fmtPath(p.path)}]\n`)
    for (const d of c.unexplained) process.stdout.write(`    model difference: ${d.message} [${c.raw.resources[d.at.index]?.file.path}: ${fmtPath(d.at.path)}]\n`)
    for (const u of c.unmodelled) process.stdout.write(`    unmodelled: ${u}\n`)
    if (!verbose) continue
    for (const f of c.result.findings.filter((x) => x.severity !== 'error')) process.stdout.write(`    ${f.severity} ${f.rule}: ${f.message}${f.loss ? ' (loss)' : ''}\n`)
    if (c.result.values) process.stdout.write(JSON.stringify(c.result.values, null, 2).replace(/^/gm, '    ') + '\n')
  }
}
process.stdout.write(`\n${converted} of ${raw} raw apps convert to app-template\n`)
