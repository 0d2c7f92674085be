import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The loopback bridge's token and last port, kept in the data folder (`bridge.json`, mode 0600)
 * so that the till's address (bookmarked, or open on the customer display) stays the same from
 * one start to the next. The token is the only secret between the page and the core: the file
 * is created readable by its owner alone, and an existing one is read only if it is a regular
 * file of this user; one that others can read is tightened to 0600 (and the caller says so).
 */
export const BRIDGE_FILE = 'bridge.json';

/** Base64url, at least 128 bits: what `newBridgeToken` makes (24 random bytes), or a long enough token a person chose. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{22,256}$/;

export interface BridgeFile {
  token: string;
  /** The port the bridge listened on last time, if it was chosen automatically. */
  port: number | null;
}

export interface LoadedBridgeFile extends BridgeFile {
  /** The file was made now (first start on this data folder). */
  created: boolean;
  /** What was wrong with the file and has been put right, in words for the person starting the till. */
  notes: string[];
}

/** An existing bridge file that is not used: its path and what to do are in the message. */
export class BridgeFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BridgeFileError';
  }
}

export function newBridgeToken(): string {
  return randomBytes(24).toString('base64url');
}

function modeText(mode: number): string {
  return `0${(mode & 0o777).toString(8).padStart(3, '0')}`;
}

/** Writes the file whole or not at all: a temporary file (0600) renamed over it. */
function writeBridgeFile(file: string, content: BridgeFile): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    // The mode argument only applies when the file is new; a leftover temporary file keeps its own.
    fs.fchmodSync(fd, 0o600);
    fs.writeFileSync(fd, `${JSON.stringify(content, null, 2)}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(tmp, file);
}

function parse(file: string, text: string): BridgeFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new BridgeFileError(`${file} is not the till's bridge file (not JSON). Delete it to get a new token (bookmarks of the old address stop working), then start again.`);
  }
  const v = value as { token?: unknown; port?: unknown };
  if (typeof v.token !== 'string' || !TOKEN_SHAPE.test(v.token)) {
    throw new BridgeFileError(`${file} holds no usable token (22 or more letters, digits, '-' or '_'). Delete it to get a new one, then start again.`);
  }
  const port = typeof v.port === 'number' && Number.isInteger(v.port) && v.port > 0 && v.port <= 65535 ? v.port : null;
  return { token: v.token, port };
}

/**
 * The bridge file of `dataDir`, made (with a new token) when there is none. Refuses, with a
 * BridgeFileError that says what to do, a file that is not a regular file, belongs to another
 * user or holds no token; tightens one that others may read or write to 0600 and says so in
 * `notes`.
 */
export function loadBridgeFile(dataDir: string): LoadedBridgeFile {
  const file = path.join(dataDir, BRIDGE_FILE);
  let fd: number;
  try {
    // O_NOFOLLOW: a symbolic link planted in the data folder is refused, never followed.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      fs.mkdirSync(dataDir, { recursive: true });
      const made: BridgeFile = { token: newBridgeToken(), port: null };
      writeBridgeFile(file, made);
      return { ...made, created: true, notes: [] };
    }
    if (code === 'ELOOP') throw new BridgeFileError(`${file} is a symbolic link; the till keeps its token only in a file of its own. Delete the link, then start again.`);
    throw new BridgeFileError(`${file} cannot be read (${code ?? (e as Error).message}). Check the data folder's permissions, or delete the file to get a new token.`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (!st.isFile()) throw new BridgeFileError(`${file} is not a regular file. Delete it, then start again.`);
    const uid = process.getuid?.();
    if (uid !== undefined && st.uid !== uid) {
      throw new BridgeFileError(`${file} belongs to another user (uid ${st.uid}, this is uid ${uid}), so its token cannot be trusted. Start the till as that user, or delete the file to get a new token.`);
    }
    const notes: string[] = [];
    // Windows reports no POSIX permission bits worth checking.
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      fs.fchmodSync(fd, 0o600);
      notes.push(
        `${file} could be read or changed by other users (mode ${modeText(st.mode)}): now 0600. ` +
          'If someone else may have read it, delete it and start again for a new token (the old address then stops working).',
      );
    }
    return { ...parse(file, fs.readFileSync(fd, 'utf8')), created: false, notes };
  } finally {
    fs.closeSync(fd);
  }
}

/** Remembers the port the bridge listens on, so the next start can take the same address. */
export function rememberBridgePort(dataDir: string, bridge: BridgeFile, port: number): void {
  if (bridge.port === port) return;
  writeBridgeFile(path.join(dataDir, BRIDGE_FILE), { token: bridge.token, port });
}
