import { ensureRendererBuilt } from '../../scripts/lib/build';

/**
 * vitest globalSetup: builds out/renderer once before the e2e tests when it is missing or older
 * than its sources. browser-mode.test.ts calls the same function, so it also works when this
 * file is not registered (it is then a no-op check when the build is fresh).
 */
export default async function setup(): Promise<void> {
  await ensureRendererBuilt({ log: (m) => console.log(m) });
}
