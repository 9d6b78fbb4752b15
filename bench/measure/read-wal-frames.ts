/** One frame of a SQLite write-ahead log: the database page it holds, and whether a commit ends there. */
export interface WalFrame {
  page: number;
  endsCommit: boolean;
}

export interface WalFrames {
  pageSize: number;
  /** The frames of the log's current generation, oldest first. */
  frames: WalFrame[];
}

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;
/** The magic number's last bit names the checksums' byte order; both are valid. */
const WAL_MAGIC = [0x377f0682, 0x377f0683];

/**
 * The frames of a SQLite WAL file (https://www.sqlite.org/fileformat2.html#walformat): a 32-byte
 * header (magic, format version, page size at byte 8, checkpoint sequence, two salts at bytes 16
 * and 20, two checksums), then frames of a 24-byte header (page number at byte 0, the database's
 * size in pages after the commit at byte 4, non-zero only on a commit's last frame, the header's
 * salts at bytes 8 and 12, two checksums) followed by one page.
 *
 * After a checkpoint SQLite starts the log again from its beginning with new salts, leaving older
 * frames past the new ones: only frames carrying the header's salts belong to the log, and the
 * first one that does not ends it. Checksums are not verified: this reads a log SQLite itself
 * wrote, after the commits it measures.
 */
export function readWalFrames(wal: Uint8Array): WalFrames {
  if (wal.length < WAL_HEADER_BYTES) return { pageSize: 0, frames: [] };
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  if (!WAL_MAGIC.includes(view.getUint32(0))) throw new Error('not a SQLite WAL file');
  const pageSize = view.getUint32(8);
  const salt1 = view.getUint32(16);
  const salt2 = view.getUint32(20);
  const frames: WalFrame[] = [];
  for (
    let offset = WAL_HEADER_BYTES;
    offset + FRAME_HEADER_BYTES + pageSize <= wal.length;
    offset += FRAME_HEADER_BYTES + pageSize
  ) {
    if (view.getUint32(offset + 8) !== salt1 || view.getUint32(offset + 12) !== salt2) break;
    frames.push({ page: view.getUint32(offset), endsCommit: view.getUint32(offset + 4) !== 0 });
  }
  return { pageSize, frames };
}

export interface FramesPerCommit {
  /** Complete commits in the log (frames after the last commit are left out). */
  commits: number;
  /** Frames written per commit, on average. */
  frames: number;
  /** Frames per commit by what owns the page (a table or index name), most first. */
  byOwner: Array<{ owner: string; frames: number }>;
}

/** How many pages each commit of the log wrote, and whose pages they were. */
export function countFramesPerCommit(
  log: WalFrames,
  ownerOf: (page: number) => string,
): FramesPerCommit {
  let commits = 0;
  let committedFrames = 0;
  const counts = new Map<string, number>();
  let pending: WalFrame[] = [];
  for (const frame of log.frames) {
    pending.push(frame);
    if (!frame.endsCommit) continue;
    commits += 1;
    committedFrames += pending.length;
    for (const { page } of pending) {
      const owner = ownerOf(page);
      counts.set(owner, (counts.get(owner) ?? 0) + 1);
    }
    pending = [];
  }
  const perCommit = (count: number) => (commits === 0 ? Number.NaN : count / commits);
  return {
    commits,
    frames: perCommit(committedFrames),
    byOwner: [...counts]
      .map(([owner, count]) => ({ owner, frames: perCommit(count) }))
      .sort((left, right) => right.frames - left.frames || left.owner.localeCompare(right.owner)),
  };
}
