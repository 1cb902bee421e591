/**
 * Every module the project loads on demand (schema models, the GitHub client, the authoring tools) is imported
 * here, by a package name, a file URL, or a path relative to this folder. The CLI's CommonJS bundle has no
 * `import()` of its own: the build puts its host's import in place of this module (see src/cli-host.ts).
 */
export function loadModule(specifier: string): Promise<unknown> {
  return import(specifier)
}
