"""Files that survive crashes: atomic JSON writes, an inter-process lock, a read cache.

Standard library only, so the `legcoach status` fast path can use it without pydantic.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from legcoach.errors import Locked, StoreError
from legcoach.storage.stamps import Signature, signature_of

__all__ = ["Locked", "Signature", "StoreError", "signature_of"]

APP_ID = "legcoach"


class DamagedFile(StoreError):
    def __init__(
        self,
        path: Path,
        problem: str,
        advice: str = "Move it aside (or restore a backup) and try again.",
    ) -> None:
        super().__init__(f"{path} {problem}; it was left untouched. {advice}")
        self.path = path


class ForeignFile(StoreError):
    def __init__(self, path: Path, problem: str = "is not a legcoach database") -> None:
        super().__init__(f"{path} {problem}; it was left untouched. Use --db to pick another file.")
        self.path = path


class NewerSchema(StoreError):
    def __init__(self, path: Path, schema: int, known: int) -> None:
        super().__init__(
            f"{path} was written by a newer legcoach (schema {schema}, this one knows up to "
            f"{known}); upgrade legcoach to open it."
        )


class SaveFailed(StoreError):
    def __init__(self, path: Path, cause: OSError) -> None:
        reason = cause.strerror or str(cause)
        super().__init__(f"could not save to {path}: {reason}. Nothing was changed.")
        self.path = path


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)


def _kind_of(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    return "not a regular file"


def read_regular_file(path: Path, limit: int | None = None, *, follow: bool = True) -> bytes:
    """The bytes of a regular file; a FIFO, device, directory or (with follow=False) a link
    is refused at once (never read, so never a hang), and so is a file over `limit` bytes."""
    flags = os.O_RDONLY | _NONBLOCK | (0 if follow else _NOFOLLOW)
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise StoreError(f"{path} is a symbolic link; refusing to follow it.") from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise StoreError(f"{path} is {_kind_of(info.st_mode)}, not a regular file.")
        if limit is not None and info.st_size > limit:
            raise StoreError(
                f"{path} is too large ({info.st_size // 1_048_576} MiB; "
                f"the limit is {limit // 1_048_576} MiB)."
            )
        chunks = []
        total = 0
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
            total += len(chunk)
            if limit is not None and total > limit:  # it grew while we read
                raise StoreError(f"{path} is too large (the limit is {limit // 1_048_576} MiB).")
        return b"".join(chunks)
    finally:
        os.close(fd)


def check_writable_target(path: Path) -> None:
    """Refuse to replace anything but a regular file: a FIFO, device or link stays."""
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(info.st_mode):
        raise StoreError(f"{path} is {_kind_of(info.st_mode)}; refusing to replace it.")


TMP_SUFFIX = ".tmp"


def remove_leftover_temp_files(directory: Path) -> int:
    """Temp files a killed write left behind (only while holding the write lock)."""
    removed = 0
    with contextlib.suppress(OSError):
        for entry in os.scandir(directory):
            if entry.name.startswith(".") and entry.name.endswith(TMP_SUFFIX):
                with contextlib.suppress(OSError):
                    if entry.is_file(follow_symlinks=False):
                        os.unlink(entry.path)
                        removed += 1
    return removed


def ensure_private_dir(path: Path) -> None:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def atomic_write_bytes(path: Path, payload: bytes, *, durable: bool = True) -> None:
    """Write a sibling temp file, flush, fsync, then `os.replace`: old file or new, never half.

    The temp file is created 0600 by mkstemp, so the database stays readable by its owner
    only. Any failure (a full disk, a kill) leaves the previous file as it was. A
    disposable file (`durable=False`: the status cache) skips both fsyncs: after a power
    cut it may be lost or empty, and its reader then recomputes it.
    """
    check_writable_target(path)
    fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TMP_SUFFIX)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    if durable:
        fsync_dir(path.parent)


def fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible on Windows, harmless to skip there.
    if os.name != "posix":
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def encode(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def read_json(path: Path) -> Any:
    """Parse a JSON file, turning every kind of damage into one clear `DamagedFile`."""
    try:
        raw = read_regular_file(path, follow=False)
    except IsADirectoryError:
        raise ForeignFile(path, "is a directory, not a legcoach database") from None
    except PermissionError:
        raise StoreError(f"{path} cannot be read: permission denied.") from None
    except StoreError as error:
        raise ForeignFile(path, str(error).removeprefix(f"{path} ").rstrip(".")) from None
    if not raw.strip():
        raise DamagedFile(path, "is empty (truncated?)")
    try:
        return json.loads(raw)
    except UnicodeDecodeError:
        raise ForeignFile(path, "is not a text file, so not a legcoach database") from None
    except json.JSONDecodeError as error:
        raise DamagedFile(path, f"is damaged (not valid JSON at byte {error.pos})") from None


@dataclass
class CachedJSON:
    """One JSON file, parsed once and re-read only when another process replaced it."""

    path: Path
    data: dict[str, Any] | None = None
    signature: Signature | None = None

    def load(self) -> dict[str, Any]:
        current = signature_of(self.path)
        if self.data is None or current != self.signature:
            if current is None:
                raise FileNotFoundError(self.path)
            data = read_json(self.path)
            if not isinstance(data, dict):
                raise ForeignFile(self.path)
            self.data, self.signature = data, current
        return self.data

    def save(self, data: dict[str, Any]) -> None:
        try:
            atomic_write_bytes(self.path, encode(data))
        except OSError as error:
            # Callers may have changed `data` in place: forget it, the disk is the truth.
            self.forget()
            raise SaveFailed(self.path, error) from error
        self.data, self.signature = data, signature_of(self.path)

    def forget(self) -> None:
        self.data = self.signature = None


class FileLock:
    """An exclusive advisory lock on a small lock file, shared by every legcoach process."""

    def __init__(self, path: Path, what: str) -> None:
        self.path = path
        self.what = what
        self._fd: int | None = None

    def acquire(self, timeout: float) -> None:
        # Never through a link: a lock file linked to one of the user's files would
        # truncate that file to a pid.
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT | _NOFOLLOW | _NONBLOCK, 0o600)
        except OSError as error:
            if error.errno == errno.ELOOP:
                raise StoreError(
                    f"{self.path} is a symbolic link; remove it and try again."
                ) from None
            raise
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            os.close(fd)
            raise StoreError(f"{self.path} is not a regular file; remove it and try again.")
        deadline = time.monotonic() + timeout
        while True:
            try:
                _lock_fd(fd)
                break
            except OSError as error:
                if error.errno not in (errno.EAGAIN, errno.EACCES, errno.EDEADLK):
                    os.close(fd)
                    raise
                if time.monotonic() >= deadline:
                    holder = _read_holder(fd)
                    os.close(fd)
                    raise Locked(self.what + (f" (pid {holder})" if holder else "")) from None
                time.sleep(0.01)
        # Who holds it, for the "busy" message: padded over any longer previous content
        # rather than truncated (an ftruncate was a measurable part of every save).
        # Only a hint: on a full disk the lock is held all the same (by the kernel).
        with contextlib.suppress(OSError):
            os.lseek(fd, 0, os.SEEK_SET)  # not pwrite: Windows has none
            os.write(fd, str(os.getpid()).encode().ljust(_HOLDER_BYTES))
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            with contextlib.suppress(OSError):
                _unlock_fd(self._fd)
            os.close(self._fd)
            self._fd = None

    @contextlib.contextmanager
    def held(self, timeout: float) -> Iterator[None]:
        self.acquire(timeout)
        try:
            yield
        finally:
            self.release()


_HOLDER_BYTES = 20


def _read_holder(fd: int) -> str:
    with contextlib.suppress(OSError):
        os.lseek(fd, 0, os.SEEK_SET)
        return os.read(fd, 32).decode(errors="replace").strip()
    return ""


if os.name == "posix":
    import fcntl

    def _lock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock_fd(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)

else:  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _lock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]

    def _unlock_fd(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
