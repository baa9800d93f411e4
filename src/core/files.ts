/**
 * Files that hold undo data: read as untrusted input (a regular file only — a FIFO or a device would block or never
 * end —, a size cap, a UTF-8 BOM accepted) and written so nothing is lost (a temporary file, fsync, then a rename —
 * or, unless overwriting was asked for, a hard link that fails when the name exists; mode 0600; temporary files of an
 * earlier write whose process was killed removed).
 */
import { randomBytes } from 'node:crypto';
import { constants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Localize } from './l10n';

/** A file problem worded for people (one line, the file named). */
export class FileError extends Error {
  constructor(
    message: string,
    /**
     * `exists`: the target is there and overwriting was not asked for. `notRegular`: the input is a directory, not a
     * regular file (a FIFO, a device) or over the size cap — it cannot be the file asked for, whatever it holds.
     */
    readonly kind: 'exists' | 'read' | 'notRegular' | 'write',
  ) {
    super(message);
    this.name = 'FileError';
  }
}

/**
 * Reads a snapshot file (the one input file there is) of at most `maxBytes` as UTF-8 text, without a leading BOM;
 * only a regular file.
 */
export async function readSnapshotText(file: string, maxBytes: number, l10n: Localize): Promise<string> {
  let handle: fs.FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO does not wait for a writer; the fstat below then refuses it.
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    throw readError(e, file, l10n);
  }
  try {
    const stat = await handle.stat();
    if (stat.isDirectory()) throw new FileError(l10n.t('Cannot read the snapshot file {0}: it is a directory.', file), 'notRegular');
    if (!stat.isFile()) throw new FileError(l10n.t('Cannot read the snapshot file {0}: it is not a regular file.', file), 'notRegular');
    const tooBig = (): FileError => new FileError(l10n.t('Cannot read the snapshot file {0}: it is larger than {1} MB, more than any snapshot.', file, Math.round(maxBytes / 1024 / 1024)), 'notRegular');
    if (stat.size > maxBytes) throw tooBig();
    const buffer = Buffer.alloc(stat.size + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) throw tooBig();
    return buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
  } catch (e) {
    throw e instanceof FileError ? e : readError(e, file, l10n);
  } finally {
    await handle.close();
  }
}

/**
 * Is JSON `text` nested deeper than `limit` arrays or objects? Checked before `JSON.parse`, which takes seconds and
 * a gigabyte on a few megabytes of `[[[[…`.
 */
export function nestedDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > limit) return true;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return false;
}

function readError(e: unknown, file: string, l10n: Localize): FileError {
  const code = (e as NodeJS.ErrnoException).code;
  return new FileError(code === 'ENOENT' ? l10n.t('Cannot read the snapshot file {0}: no such file.', file)
    : code === 'EACCES' ? l10n.t('Cannot read the snapshot file {0}: permission denied.', file)
      : code === 'EISDIR' ? l10n.t('Cannot read the snapshot file {0}: it is a directory.', file)
        : l10n.t('Cannot read the snapshot file {0}: {1}.', file, code ?? (e instanceof Error ? e.message : String(e))), 'read');
}

/**
 * Writes `text` to `file` atomically with mode 0600. Without `overwrite`, an existing `file` is never replaced
 * (`FileError` kind `exists`); errors name `file`, never the temporary name.
 */
export async function writeNewFile(file: string, text: string, l10n: Localize, options: { readonly overwrite?: boolean } = {}): Promise<void> {
  const dir = path.dirname(file);
  const base = path.basename(file);
  await removeStaleTemps(dir, base);
  const temp = path.join(dir, `.${base}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (options.overwrite === true) {
      await fs.rename(temp, file);
    } else {
      await fs.link(temp, file); // fails with EEXIST instead of replacing: the check and the write are one step
    }
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new FileError(l10n.t('{0} already exists; it is not replaced.', file), 'exists');
    throw writeError(e, file, l10n);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** Why `file` cannot be written, worded for people (never the temporary name). */
export function writeError(e: unknown, file: string, l10n: Localize): FileError {
  const code = (e as NodeJS.ErrnoException).code;
  return new FileError(code === 'EACCES' || code === 'EPERM' ? l10n.t('Cannot write {0}: permission denied.', file)
    : code === 'ENOENT' || code === 'ENOTDIR' || code === 'EEXIST' ? l10n.t('Cannot write {0}: no such folder.', file)
      : l10n.t('Cannot write {0}: {1}.', file, code ?? (e instanceof Error ? e.message : String(e))), 'write');
}

/** A temporary file older than this is from a write that was killed, whoever wrote it (a write takes milliseconds). */
const STALE_TEMP_MS = 60 * 60_000;

/** Is the process that wrote a temporary file gone (killed before its rename)? */
function writerIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0); // signal 0 only asks whether the process exists
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Removes `.<base>.<pid>-<12 hex>.tmp` files left by a write that was killed before its rename: the writing process
 * no longer exists (or the file is over an hour old). A write in progress in a live process is left alone.
 */
async function removeStaleTemps(dir: string, base: string): Promise<void> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return; // the write itself reports a missing or unreadable folder
  }
  const prefix = `.${base}.`;
  await Promise.all(names.map(async (n) => {
    const m = n.startsWith(prefix) ? /^(\d+)-[0-9a-f]{12}\.tmp$/.exec(n.slice(prefix.length)) : null;
    if (!m) return;
    const temp = path.join(dir, n);
    const stat = await fs.lstat(temp).catch(() => undefined);
    if (stat?.isFile() === true && (writerIsGone(Number(m[1])) || Date.now() - stat.mtimeMs > STALE_TEMP_MS)) await fs.rm(temp, { force: true });
  }));
}
