"""Which save of a record is the latest, on every computer alike: hybrid logical clocks.

Every save a device makes carries a version: `<ms since 1970>-<counter>-<device id>`,
fixed width, so comparing the strings compares the versions. A device's next version is
later than its own last one and than the version of whatever the save replaces (the
record edited, the delete undone), even when its clock is behind: a clock 15 minutes
off never reorders a device's own saves, and an edit made after seeing another
device's edit wins over it. The device id settles a tie, so every computer that holds
the same files picks the same winner.

Records from before devices (the single-device layout) have the version FLOOR, below
every save's.
"""

from __future__ import annotations

import os
import re
import secrets

FLOOR = ""
COUNTER_LIMIT = 10_000
DEVICE_ID = re.compile(r"[a-z0-9]{6,32}")
_VERSION = re.compile(r"([0-9]{13})-([0-9]{4})-([a-z0-9]{6,32})")


def is_version(value: object) -> bool:
    return isinstance(value, str) and (value == FLOOR or _VERSION.fullmatch(value) is not None)


def next_version(now_ms: int, after: str, device: str) -> str:
    """The version of a save made now on `device`, later than `after`."""
    moment, counter = max(0, now_ms), 0
    found = _VERSION.fullmatch(after)
    if found is not None:
        last_ms, last_counter = int(found[1]), int(found[2])
        if moment <= last_ms:
            moment, counter = last_ms, last_counter + 1
            if counter >= COUNTER_LIMIT:
                moment, counter = last_ms + 1, 0
    return f"{moment:013d}-{counter:04d}-{device}"


def ms_of(version: str) -> int | None:
    found = _VERSION.fullmatch(version)
    return int(found[1]) if found else None


def this_device(state_home: str) -> str:
    """This computer's device id: made at random on first use and kept in its own state
    folder (never in the synced one), so a copied data folder never brings its id."""
    folder = os.path.join(state_home, "legcoach")
    path = os.path.join(folder, "device-id")
    try:
        with open(path, encoding="ascii") as handle:
            found = handle.read().strip()
        if DEVICE_ID.fullmatch(found):
            return found
    except (OSError, UnicodeDecodeError):
        pass
    os.makedirs(folder, mode=0o700, exist_ok=True)
    made = secrets.token_hex(6)
    temp = f"{path}.{made}.tmp"
    with open(temp, "w", encoding="ascii") as handle:
        handle.write(made + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    try:
        os.link(temp, path)  # first writer wins: two processes starting at once agree
    except FileExistsError:
        os.unlink(temp)
        return this_device(state_home)
    except OSError:  # a file system without hard links
        os.replace(temp, path)
        return made
    os.unlink(temp)
    return made
