import { app, type Session } from 'electron';

type Log = (message: string) => void;
const defaultLog: Log = (m) => console.warn(`[tillsmith] ${m}`);

/**
 * App-wide guards for every web contents, installed before the first window exists:
 * no navigation away from the till's own page, no new windows, no <webview>.
 */
export function installAppGuards(opts: { isAllowedUrl: (url: string) => boolean; log?: Log }): void {
  const log = opts.log ?? defaultLog;
  app.enableSandbox();
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => {
      if (!opts.isAllowedUrl(event.url)) {
        event.preventDefault();
        log(`blocked navigation to ${event.url}`);
      }
    });
    contents.on('will-redirect', (event) => {
      if (!opts.isAllowedUrl(event.url)) {
        event.preventDefault();
        log(`blocked redirect to ${event.url}`);
      }
    });
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      log('blocked a <webview>');
    });
    contents.setWindowOpenHandler(({ url }) => {
      log(`blocked a new window for ${url}`);
      return { action: 'deny' };
    });
  });
}

/** Deny every permission (camera, notifications, HID, serial ...): devices belong to main, not the page. */
export function installSessionGuards(session: Session, log: Log = defaultLog): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log(`denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}

/** True when `candidate` is the same document as `allowed` (ignoring the #fragment). */
export function isSameDocument(candidate: string, allowed: string): boolean {
  try {
    const a = new URL(candidate);
    const b = new URL(allowed);
    a.hash = '';
    b.hash = '';
    return a.href === b.href;
  } catch {
    return false;
  }
}
