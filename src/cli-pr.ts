/** `pr`: a branch, a commit and a pull request per migrated app. */
import type { Command } from 'commander'
import { list, toRepoPath, type CliIo, type SetCode } from './cli.ts'
import { openRepo, repoOptions } from './cli-migrate.ts'
import { runPr } from './pr.ts'

/** `pr`. */
export function registerPr(program: Command, io: CliIo, setCode: SetCode): void {
  repoOptions(
    program
      .command('pr')
      .description('commit each app\'s migration on its own branch from --base (or one branch with --single-branch); --push pushes it and opens the pull request')
      .argument('[app...]', 'legacy app folders (relative to --repo)'),
  )
    .option('--all', 'every enabled legacy app')
    .option('--include-disabled', 'with --all: also the apps the legacy namespace kustomizations do not list')
    .option('--cluster <names>', 'with --all: only these legacy clusters (comma-separated)', list, [])
    .option('--base <branch>', 'branch to start from and to open pull requests against', 'main')
    .option('--branch-prefix <prefix>', 'branch name prefix', 'migrate/')
    .option('--single-branch', 'one branch (one commit per app) and one pull request for all apps')
    .option('--push', 'push the branches; with GITHUB_TOKEN, open or update their pull requests')
    .option('--remote <name>', 'remote to push to', 'origin')
    .option('--github <owner/repo>', 'GitHub repository of the pull requests (default: from the remote URL)')
    .option('--body-file <file>', 'write the pull request description here instead of stdout ({app} in the name: one file per app)')
    .option('--allow-dirty', 'run even with uncommitted changes (they are not part of the migration, which starts from --base)')
    .option('--format-patch <dir>', 'write one git-am-able mbox patch per app into <dir> instead of making branches')
    .action(async (apps: string[], o) => {
      const { root, config } = openRepo(io, o)
      setCode(
        await runPr({
          repoDir: root,
          apps: apps.map((a) => toRepoPath(io, root, a)),
          all: !!o.all,
          includeDisabled: !!o.includeDisabled,
          clusters: o.cluster,
          base: o.base,
          branchPrefix: o.branchPrefix,
          singleBranch: !!o.singleBranch,
          push: !!o.push,
          remote: o.remote,
          github: o.github,
          allowDirty: !!o.allowDirty,
          formatPatchDir: o.formatPatch ? io.resolve(io.cwd, o.formatPatch) : undefined,
          bodyFile: o.bodyFile ? io.resolve(io.cwd, o.bodyFile) : undefined,
          config,
          vars: o.var,
          only: o.only,
          skip: o.skip,
          env: io.env ?? {},
          log: io.stderr,
          out: io.stdout,
        }),
      )
    })
}
