/**
 * Per-printer settings that change the bytes we send. Stored with the printer's configuration.
 */

/** Double-byte encodings a Chinese printer font may use. */
export type CjkEncoding = 'gb18030' | 'gbk' | 'big5';

/** Single-byte code pages we can select with ESC t (outside Chinese mode). */
export type SingleByteCodePage = 'cp437' | 'cp850' | 'cp858';

/** ESC t numbers of the supported code pages (Epson numbering). */
export const CODE_TABLE_NUMBER: Readonly<Record<SingleByteCodePage, number>> = {
  cp437: 0,
  cp850: 2,
  cp858: 19,
};

export interface PrinterProfile {
  /** Font A columns: 48 for 80 mm paper (576 dots), 32 for 58 mm (384 dots); 42 on 512-dot Epson heads. */
  columns: number;
  /**
   * true: send FS & (Chinese mode on) after ESC @ and encode all non-ASCII text in `cjkEncoding`
   * (each double-byte character takes 2 columns). false: send FS . (Chinese mode off) and encode
   * text in the single-byte `codePage`; Chinese characters cannot be printed as text then.
   */
  chineseMode: boolean;
  cjkEncoding: CjkEncoding;
  codePage: SingleByteCodePage;
  /**
   * GB18030 four-byte sequences (characters outside GBK, e.g. emoji or rare ideographs) are not
   * in the fonts of receipt printers we know of, so they print as '?' unless this is true.
   */
  allowGb18030FourByte?: boolean;
  /**
   * The printer supports Automatic Status Back (GS a): it is switched on when the port opens
   * and after each ESC @, and the 4-byte frames it sends by itself (paper out, cover open,
   * offline, error) update the printer's state at once instead of at the next DLE EOT poll.
   */
  autoStatusBack?: boolean;
}

export const PROFILE_80MM_GB18030: PrinterProfile = {
  columns: 48,
  chineseMode: true,
  cjkEncoding: 'gb18030',
  codePage: 'cp437',
};

export const PROFILE_58MM_GB18030: PrinterProfile = {
  columns: 32,
  chineseMode: true,
  cjkEncoding: 'gb18030',
  codePage: 'cp437',
};

export const PROFILE_80MM_BIG5: PrinterProfile = {
  columns: 48,
  chineseMode: true,
  cjkEncoding: 'big5',
  codePage: 'cp437',
};

/** A printer without a Chinese font (e.g. a US/EU Epson TM-T88): single-byte text only. */
export const PROFILE_80MM_LATIN: PrinterProfile = {
  columns: 48,
  chineseMode: false,
  cjkEncoding: 'gb18030',
  codePage: 'cp858',
};
