import type { PosBridge } from './pos-bridge';

declare global {
  interface Window {
    /** Present inside the Electron shell (set by the preload); absent in browser mode. */
    readonly pos?: PosBridge;
  }
}

export type { PosBridge };
