import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // The corpus and git-backed tests do real work; time limits here are not performance assertions.
    testTimeout: 120_000,
  },
})
