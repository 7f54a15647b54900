"""Bulk exports as downloaded: a Garmin Connect (or any) `.zip`, nested zips included.

Members are read by name into memory, one at a time, never extracted to disk: a
member's name is only ever shown, so no path in it can reach the file system. Each
member is held to the per-file cap, the whole archive to ZIP_TOTAL_BYTES, and a
member that inflates beyond ZIP_MAX_RATIO of its compressed size (a zip bomb) is
refused with a line.
"""

from __future__ import annotations

import functools
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from legcoach.importers.fit import NotReadable

ZIP_TOTAL_BYTES = 4 * 1024 * 1024 * 1024  # everything an archive may inflate to
ZIP_MAX_RATIO = 200  # FIT and XML compress 5-20x; far more is a bomb
ZIP_DEPTH = 3  # Garmin nests UploadedFiles_*_Part*.zip inside the export


def is_zip(data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or data[:4] == b"PK\x05\x06"


@dataclass
class Member:
    name: str  # 'export.zip!DI_CONNECT/.../UploadedFiles_0-_Part1.zip!123.fit'
    data: bytes | None
    problem: str | None = None
    stream: Callable[[], IO[bytes]] | None = None  # read as a stream instead (Apple Health)


class Budget:
    """What the whole archive may still inflate to."""

    def __init__(self, total: int = ZIP_TOTAL_BYTES) -> None:
        self.left = total


def members(
    data: bytes | Path,
    label: str,
    max_member: int,
    *,
    depth: int = 0,
    budget: Budget | None = None,
) -> Iterator[Member]:
    """Each file in the archive (and in archives inside it), in name order. An archive
    on disk is read where it lies (a several-GB Apple Health export is never loaded)."""
    budget = budget or Budget()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data) if isinstance(data, bytes) else data)
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise NotReadable(f"a damaged zip file ({error})") from None
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            name = f"{label}!{info.filename}"
            if info.is_dir() or info.filename.rsplit("/", 1)[-1].startswith("."):
                continue
            if info.filename.rsplit("/", 1)[-1] == "export.xml":
                # Apple Health: streamed, whatever its size (importers/apple_health.py).
                yield Member(name, None, stream=functools.partial(archive.open, info))
                continue
            if info.flag_bits & 0x1:
                yield Member(name, None, "encrypted: not read")
                continue
            if info.file_size > max_member:
                yield Member(name, None, f"over {max_member // 1_048_576} MiB: not read")
                continue
            if info.compress_size and info.file_size / info.compress_size > ZIP_MAX_RATIO:
                yield Member(name, None, "refused: inflates like a zip bomb")
                continue
            try:
                with archive.open(info) as stream:
                    # The declared size can lie: read one byte past the cap to know.
                    content = stream.read(min(max_member, budget.left) + 1)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as error:
                yield Member(name, None, f"damaged in the archive ({type(error).__name__})")
                continue
            if len(content) > min(max_member, budget.left):
                yield Member(name, None, "refused: inflates past the size cap (a zip bomb?)")
                if len(content) > budget.left:
                    return
                continue
            budget.left -= len(content)
            if is_zip(content):
                if depth + 1 >= ZIP_DEPTH:
                    yield Member(name, None, "refused: zips nested too deep")
                    continue
                yield from members(content, name, max_member, depth=depth + 1, budget=budget)
                continue
            yield Member(name, content)
