import { defineConfig } from 'vitest/config';

// Two projects: pure unit tables, and integration tests against the real local control plane,
// which test/setup/global-setup.ts builds (cached) and starts once per run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/setup/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 900_000,
          // Two cores: more workers only contend with the control plane for CPU.
          maxWorkers: 2,
        },
      },
    ],
  },
});
