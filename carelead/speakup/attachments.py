"""Files sent with concerns and messages: what may be sent, how it is checked, and where it is kept.

A file's type is read from its content, never taken from its name: the first bytes must be those of a PDF, PNG or
JPEG, a Word document must be a ZIP holding a Word body and no macros, and plain text must be text throughout.
The name's ending must then agree with what the content is, so a file is never downloaded under a misleading
name. This generalises the evidence check of fit and proper tests (``carelead.fitproper.services.evidence_problem``)
to more types, a per-message count and errors that name the file.

Nothing in a file is changed or removed: photos and documents keep whatever their metadata holds, and the pages
warn the reporter of that before they send. What is kept beside the file is only the name it is downloaded as.
"""

import os
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone

MAX_BYTES = 10 * 1024 * 1024
MAX_FILES = 5
NAME_LIMIT = 200
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FileType:
    label: str
    content_type: str
    suffixes: tuple[str, ...]


TYPES = (
    FileType("PDF", "application/pdf", (".pdf",)),
    FileType("PNG", "image/png", (".png",)),
    FileType("JPEG", "image/jpeg", (".jpg", ".jpeg")),
    FileType("plain text", "text/plain", (".txt",)),
    FileType("Word", DOCX, (".docx",)),
)
BY_CONTENT_TYPE = {t.content_type: t for t in TYPES}
SUFFIXES = tuple(suffix for t in TYPES for suffix in t.suffixes)
ACCEPT = ",".join(SUFFIXES)
ALLOWED_TEXT = "a PDF, PNG, JPEG, plain text (.txt) or Word (.docx) file"
# Control characters that never appear in a text file (tab, line feed, form feed and carriage return do).
_NOT_TEXT = bytes(c for c in range(32) if c not in (9, 10, 12, 13)) + b"\x7f"


def max_bytes() -> int:
    """The largest file that may be sent, in bytes (``CARELEAD_SPEAKUP_ATTACHMENT_MAX_BYTES``)."""
    return int(getattr(settings, "CARELEAD_SPEAKUP_ATTACHMENT_MAX_BYTES", MAX_BYTES))


def max_files() -> int:
    """How many files one concern or message may carry (``CARELEAD_SPEAKUP_ATTACHMENTS_PER_MESSAGE``)."""
    return int(getattr(settings, "CARELEAD_SPEAKUP_ATTACHMENTS_PER_MESSAGE", MAX_FILES))


def size_text(size: int) -> str:
    """A size as people read it: 10 MB, 512 KB."""
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{max(1, round(size / 1024))} KB"


def display_name(name: str) -> str:
    """The file's own name, without folders or control characters, short enough to keep and to show."""
    name = Path((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip() or "file"
    if len(name) > NAME_LIMIT:
        stem, suffix = os.path.splitext(name)
        name = stem[: NAME_LIMIT - len(suffix[:20])] + suffix[:20]
    return name


def _is_text(handle) -> bool:
    handle.seek(0)
    data = handle.read()
    if any(byte in _NOT_TEXT for byte in data):
        return False
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return True
    return False


def _docx_problem(handle) -> str | None:
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return "not a Word document"
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        return "not a Word document"
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        return "macros"
    return None


def sniff(handle) -> tuple[FileType | None, str | None]:
    """The type the file's content shows it to be, and a reason when it looks like a type but is not one."""
    handle.seek(0)
    head = handle.read(8)
    handle.seek(0)
    if head.startswith(b"%PDF-"):
        return BY_CONTENT_TYPE["application/pdf"], None
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return BY_CONTENT_TYPE["image/png"], None
    if head.startswith(b"\xff\xd8\xff"):
        return BY_CONTENT_TYPE["image/jpeg"], None
    if head.startswith(b"PK\x03\x04"):
        problem = _docx_problem(handle)
        handle.seek(0)
        return (BY_CONTENT_TYPE[DOCX], None) if problem is None else (None, problem)
    text = _is_text(handle)
    handle.seek(0)
    return (BY_CONTENT_TYPE["text/plain"], None) if text else (None, None)


@dataclass(frozen=True)
class Checked:
    """An uploaded file that passed the checks, with what was found."""

    upload: object
    name: str
    file_type: FileType
    size: int

    @property
    def suffix(self) -> str:
        given = Path(self.name).suffix.lower()
        return given if given in self.file_type.suffixes else self.file_type.suffixes[0]


def file_problem(upload) -> tuple[Checked | None, str | None]:
    """Check one uploaded file; returns it checked, or the reason it cannot be sent (naming the file)."""
    name = display_name(getattr(upload, "name", ""))
    quoted = f"\u201c{name}\u201d"
    size = upload.size or 0
    if size == 0:
        return None, f"The file {quoted} is empty"
    if size > max_bytes():
        return None, f"The file {quoted} must be smaller than {size_text(max_bytes())}"
    file_type, reason = sniff(upload)
    if reason == "macros":
        return None, f"The file {quoted} contains macros, which cannot be sent. Save it as a Word document (.docx)"
    if file_type is None:
        return None, f"The file {quoted} must be {ALLOWED_TEXT}"
    if Path(name).suffix.lower() not in file_type.suffixes:
        if Path(name).suffix.lower() in SUFFIXES:
            return None, f"The file {quoted} is not a real {Path(name).suffix[1:].upper()} file"
        return None, f"The name of the file {quoted} must end {' or '.join(file_type.suffixes)}"
    return Checked(upload=upload, name=name, file_type=file_type, size=size), None


def files_check(files: Sequence) -> tuple[list[Checked], list[str]]:
    """Check every file sent together: the count first, then each file. Returns the files and every problem."""
    files = [f for f in files or () if f is not None]
    if len(files) > max_files():
        return [], [f"Choose no more than {max_files()} files"]
    checked, problems = [], []
    for upload in files:
        ok, problem = file_problem(upload)
        if problem:
            problems.append(problem)
        else:
            checked.append(ok)
    return checked, problems


def file_date_only(name: str, day: date) -> None:
    """Set a stored file's modified time to the start of ``day``, so its file system record keeps no time of day."""
    try:
        path = default_storage.path(name)
    except NotImplementedError:
        return
    moment = timezone.make_aware(datetime.combine(day, time.min)).timestamp()
    try:
        os.utime(path, (moment, moment))
    except OSError:
        return


def files_delete(names: Sequence[str]) -> int:
    """Delete stored files by name; a file already gone is not an error. Returns how many were deleted."""
    deleted = 0
    for name in names:
        if name and default_storage.exists(name):
            default_storage.delete(name)
            deleted += 1
    return deleted
