import fs from 'node:fs';
import os from 'node:os';

/** The wal-index format SQLite has written since 3.7.0 (https://sqlite.org/walformat.html). */
const WAL_INDEX_VERSION = 3007000;
/** The WAL file's own header, before the first frame. */
const WAL_HEADER_BYTES = 32;
/** Each frame: a 24-byte header, then one database page. */
const FRAME_HEADER_BYTES = 24;

/**
 * Frames read ahead of the WAL's end: a checkout writes ~36 (one page of each b-tree it touches),
 * so this covers it with room for a larger basket.
 */
export const WAL_PREWARM_FRAMES = 64;

export interface WalPrewarm {
  /**
   * Reads into the OS page cache the part of the WAL file the next commit will write over. Cheap
   * (one read of ~260 KiB, from memory when the pages are cached) and never fatal: when anything
   * is not as expected, it does nothing. Returns the byte offset it read from, or null when it
   * read nothing.
   */
  (): number | null;
  close(): void;
}

/**
 * Why: a WAL frame is 24 bytes longer than a page, so frames never line up with the OS's 4 KiB
 * pages, and writing one over a part of the file that is no longer in the page cache makes the
 * kernel first read those pages from the disk (read-modify-write). After a checkpoint SQLite
 * writes the WAL again from its start, over frames written tens of seconds earlier; when the OS
 * has reclaimed them meanwhile (memory pressure, or a VM's proactive reclaim of idle pages), the
 * cashier's COMMIT waited on a few of these reads (15 KiB per checkout on average at 1M members,
 * bench/README "session 8"). The preview of the basket, which always comes first, calls this so
 * the COMMIT finds them in memory.
 *
 * Where the next frame goes comes from the wal-index header at the start of the `-shm` file
 * (`mxFrame`, the last valid frame), read with a plain read: on Linux, macOS and Windows a read
 * sees what SQLite's shared mapping wrote.
 */
export function createWalPrewarm(databaseFile: string, pageSize: number, frames = WAL_PREWARM_FRAMES): WalPrewarm {
  const frameBytes = pageSize + FRAME_HEADER_BYTES;
  const header = Buffer.alloc(48);
  const ahead = Buffer.alloc(frames * frameBytes);
  const littleEndian = os.endianness() === 'LE';
  let shm: number | null = null;
  let wal: number | null = null;

  const open = (file: string): number | null => {
    try {
      return fs.openSync(file, 'r');
    } catch {
      return null; // not created yet: SQLite makes both at the first transaction
    }
  };
  const u32 = (at: number) => (littleEndian ? header.readUInt32LE(at) : header.readUInt32BE(at));
  const u16 = (at: number) => (littleEndian ? header.readUInt16LE(at) : header.readUInt16BE(at));

  const prewarm = (() => {
    try {
      // SQLite deletes both files when the last connection closes (or the journal mode changes):
      // then these descriptors hold the old, unlinked files, and the next call opens the new ones.
      if (wal !== null && fs.fstatSync(wal).nlink === 0) prewarm.close();
      shm ??= open(`${databaseFile}-shm`);
      wal ??= open(`${databaseFile}-wal`);
      if (shm === null || wal === null) return null;
      if (fs.readSync(shm, header, 0, header.length, 0) < header.length) return null;
      // iVersion, isInit and the page size (stored as 1 for 65536) must be what this code knows.
      const szPage = u16(14);
      if (u32(0) !== WAL_INDEX_VERSION || header[12] !== 1 || (szPage === 1 ? 65536 : szPage) !== pageSize) return null;
      const offset = WAL_HEADER_BYTES + u32(16) * frameBytes; // after mxFrame, the last valid frame
      fs.readSync(wal, ahead, 0, ahead.length, offset);
      return offset;
    } catch {
      // Only a warm-up: the COMMIT reads what it needs itself.
      return null;
    }
  }) as WalPrewarm;
  prewarm.close = () => {
    for (const fd of [shm, wal]) if (fd !== null) fs.closeSync(fd);
    shm = wal = null;
  };
  return prewarm;
}
