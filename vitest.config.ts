import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    // Several suites run tsc, ts-morph or a child vitest; on a busy machine the default 5 s is too tight for the rest.
    testTimeout: 60_000,
  },
})
