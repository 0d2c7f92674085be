import { httpTransport, ipcTransport, takeBridgeToken, type Transport } from './transports';

/**
 * Picks the transport once, at start-up: Electron IPC when the preload exposed `window.pos`,
 * otherwise the loopback HTTP bridge that served this page (browser mode).
 */
export function selectTransport(): Transport {
  if (window.pos) return ipcTransport(window.pos);
  const token = takeBridgeToken({
    hash: window.location.hash,
    pathname: window.location.pathname,
    search: window.location.search,
    storage: safeSessionStorage(),
    replaceUrl: (url) => window.history.replaceState(null, '', url),
  });
  return httpTransport({ baseUrl: window.location.origin, token });
}

function safeSessionStorage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}
