"""Reading a job description from a file, for `interview plan FILE`, `interview --jd FILE` and the app's path field.

Only regular files are read (a directory, FIFO, device or socket is refused at once, never opened, so nothing can
block), at most `JD_FILE_MAX_BYTES` of them, and the text must be short enough to clean quickly.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from interview_tui.domain.errors import InvalidInput
from interview_tui.domain.jd import JD_FILE_MAX_BYTES, JD_MAX_CHARS, JD_MAX_RAW_CHARS, decode_jd_bytes
from interview_tui.paths import expand_user

_NOT_A_FILE = {
    stat.S_IFDIR: "is a folder",
    stat.S_IFIFO: "is a named pipe (FIFO)",
    stat.S_IFCHR: "is a device",
    stat.S_IFBLK: "is a device",
    stat.S_IFSOCK: "is a socket",
}


def _refuse_non_regular(path: Path, mode: int) -> None:
    if not stat.S_ISREG(mode):
        what = _NOT_A_FILE.get(stat.S_IFMT(mode), "is not a regular file")
        raise InvalidInput(f"{path} {what}, not a text file. Give the path of a plain-text file holding the job "
                           "description.")


def read_jd_file(path: Path | str) -> str:
    """The decoded (not yet cleaned) text of a JD file, or `InvalidInput` saying what is wrong with it."""
    path = expand_user(path)
    try:
        info = path.stat()
    except (FileNotFoundError, NotADirectoryError):
        raise InvalidInput(f"There is no file {path}. Check the path and try again.") from None
    except OSError as err:
        raise InvalidInput(f"{path} cannot be read ({err.strerror or err}). Check the path and its "
                           "permissions.") from None
    _refuse_non_regular(path, info.st_mode)
    limit_kb = JD_FILE_MAX_BYTES // 1000
    if info.st_size > JD_FILE_MAX_BYTES:
        raise InvalidInput(f"{path} is {info.st_size // 1000:,} kB; the limit is {limit_kb:,} kB (a job description "
                           "is a few pages of text).")
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # a file swapped for a FIFO meanwhile cannot block
    except OSError as err:
        raise InvalidInput(f"{path} cannot be read ({err.strerror or err}). Check its permissions.") from None
    with os.fdopen(fd, "rb") as fh:
        _refuse_non_regular(path, os.fstat(fd).st_mode)
        try:
            data = fh.read(JD_FILE_MAX_BYTES + 1)
        except OSError as err:
            raise InvalidInput(f"{path} cannot be read ({err.strerror or err}).") from None
    if len(data) > JD_FILE_MAX_BYTES:
        raise InvalidInput(f"{path} is larger than {limit_kb:,} kB (a job description is a few pages of text).")
    text = decode_jd_bytes(data)
    if len(text) > JD_MAX_RAW_CHARS:
        raise InvalidInput(f"{path} holds {len(text):,} characters; a job description is limited to "
                           f"{JD_MAX_CHARS:,}. Keep the role, responsibilities and requirements.")
    return text
